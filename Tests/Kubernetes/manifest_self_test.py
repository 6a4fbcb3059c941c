"""check-manifests.py --self-test: each check can fail. Each fault of FAULTS is put in a
copy of examples/kubernetes/, one at a time, and must be reported by the message it names.

FAULTS: what the fault is -> (a piece of the message that reports it, the edits), each
edit (file, old text, new text) replacing the old text's first occurrence; an edit with
no old text (None) writes a new file.
"""
import os
import shutil
import tempfile

NODE_FROM_POD_NAME = (
    "              valueFrom:\n"
    "                fieldRef:\n"
    "                  fieldPath: metadata.name\n")
ONE_NODE_CLAIM = """apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: clever-sync-state
  namespace: clever-sync
spec:
  accessModes: ["ReadWriteOnce"]
  resources:
    requests:
      storage: 5Gi
"""

FAULTS = {
    "a misspelt field": ("Kubernetes 1.29.0", [("deployment.yaml", "periodSeconds: 20", "periodSecond: 20")]),
    "a key given twice": ("given twice", [
        ("namespace.yaml", "  name: clever-sync\n", "  name: clever-sync\n  name: other\n")]),
    "no replica": ("replicas must be 1 or more", [("deployment.yaml", "replicas: 3", "replicas: 0")]),
    "two replicas with an SQLite profile": ('need [history] store = "postgresql"', [
        ("configmap-profiles.yaml", '    [history]\n    store = "postgresql"', '    [history]\n    store = "sqlite"')]),
    "replicas sharing a RWO claim": ("is ReadWriteOnce (one node's)", [
        ("deployment.yaml", "emptyDir:\n            sizeLimit: 5Gi",
         "persistentVolumeClaim:\n            claimName: clever-sync-state"),
        ("pvc-state.yaml", None, ONE_NODE_CLAIM),
        ("kustomization.yaml", "  - deployment.yaml\n", "  - deployment.yaml\n  - pvc-state.yaml\n")]),
    "a node name shared by the replicas": ("CLEVER_SYNC_NODE must come from metadata.name", [
        ("deployment.yaml", NODE_FROM_POD_NAME, '              value: "clever-sync"\n')]),
    "replicas without a node name": ("but no CLEVER_SYNC_NODE", [
        ("deployment.yaml", "            - name: CLEVER_SYNC_NODE\n" + NODE_FROM_POD_NAME, "")]),
    "a lease too short": ("--lease 1:", [("deployment.yaml", '"--lease", "60"', '"--lease", "1"')]),
    "a probe that is not clever-sync health": ("livenessProbe: not `clever-sync health", [
        ("deployment.yaml", '"health", "--file", "/run/clever-sync/health", "--max-age", "60"', '"history"')]),
    "the state folder on the read-only root": ("the state folder", [
        ("deployment.yaml", "            - name: state\n              mountPath: /var/lib/clever-sync\n", "")]),
    "no database URL for a PostgreSQL history": ("no CLEVER_SYNC_DATABASE_URL", [
        ("deployment.yaml", "            - name: CLEVER_SYNC_DATABASE_URL\n", "            - name: DATABASE_URL\n")]),
    "a Secret key that is not there": ("no key uri", [("deployment.yaml", "key: url", "key: uri")]),
    "a missing COPY source": ("COPY manual: not in the repository", [
        ("Containerfile", "COPY man man", "COPY manual manual")]),
    "a profile that is not TOML": ("not TOML", [("configmap-profiles.yaml", "    rate = 4\n", "    rate =\n")]),
    "a variable no Secret holds": ("RIVERSIDE_KEY is not a key", [
        ("configmap-profiles.yaml", '"RIVERSIDE_QS_API_KEY"', '"RIVERSIDE_KEY"')]),
    "a manifest not listed": ("does not list poddisruptionbudget.yaml", [
        ("kustomization.yaml", "  - poddisruptionbudget.yaml\n", "")]),
    "a budget that blocks every drain": ("no pod could ever be evicted", [
        ("poddisruptionbudget.yaml", "minAvailable: 1", "minAvailable: 3")]),
}


def run(check, folder):
    """The faults `check` (check-manifests.py's Check) missed, or whose edit no longer applies."""
    repository = os.path.abspath(os.path.join(folder, "..", ".."))
    failed = []
    for fault, (message, edits) in FAULTS.items():
        with tempfile.TemporaryDirectory() as scratch:
            copy = os.path.join(scratch, "examples", "kubernetes")
            shutil.copytree(folder, copy)
            for top in ("Package.swift", "Makefile", "README.md", "LICENSE", "Sources", "Tests", "man", "examples"):
                if not os.path.exists(os.path.join(scratch, top)):
                    os.symlink(os.path.join(repository, top), os.path.join(scratch, top))
            missing = [f"{old!r} is no longer in {name}" for name, old, new in edits if not edit(copy, name, old, new)]
            if missing:
                failed.append(f"{fault}: {'; '.join(missing)}")
            elif not any(message in error for error in check(copy).run()):
                failed.append(f"{fault}: not found (no message with {message!r})")
    return failed


def edit(folder, name, old, new):
    """One edit of a fault; False when the old text is not in the file."""
    path = os.path.join(folder, name)
    text = ""
    if old is not None:
        with open(path, encoding="utf-8") as file:
            text = file.read()
        if old not in text:
            return False
    with open(path, "w", encoding="utf-8") as file:
        file.write(text.replace(old, new, 1) if old is not None else new)
    return True

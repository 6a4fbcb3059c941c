#!/usr/bin/env python3
"""Checks examples/kubernetes/ without a cluster (CI runs it after `make check`).

What it checks:
- every *.yaml parses as YAML, with no key given twice in one mapping;
- every Kubernetes object validates against the API's schemas (strict: no unknown field),
  for an older and a recent Kubernetes, with kubernetes-validate (schemas bundled, offline);
- kustomization.yaml lists every manifest but the example Secrets, and files that exist;
- the Deployment: what it names exists (ConfigMaps, Secrets, the claim, its own volumes),
  one replica with the Recreate strategy, non-root with a read-only root file system, the
  three probes running `clever-sync health` on the file the image's daemon touches, the
  profiles mounted where the image's daemon reads them, the image's user;
- each profile of the ConfigMap: every variable it names is a key of the example Secret,
  its known_hosts is mounted; with --clever-sync BIN, `clever-sync config check` passes;
- the Containerfile: every COPY source exists in the repository, every --from stage is
  defined, and the executables are copied from where `make install PREFIX=/usr` puts them.

What it does not check: that the image builds (that needs a registry and the network),
that a cluster accepts the objects (admission, the Pod Security standard, quotas, a
storage class), or that the schools' real secrets and host keys are right.

  check-manifests.py [--clever-sync BIN] [--self-test]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

REPOSITORY = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FOLDER = os.path.join(REPOSITORY, "examples", "kubernetes")
# The oldest and newest Kubernetes the pinned kubernetes-validate has schemas for, nearly.
VERSIONS = ["1.29.0", "1.37.0"]
EXAMPLE_SECRETS = "secret-example.yaml"


class UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML keeps the last of two equal keys without a word; Kubernetes tools differ."""


def _mapping(loader, node, deep=False):
    keys = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in keys:
            raise yaml.constructor.ConstructorError(None, None, f"key {key!r} given twice", key_node.start_mark)
        keys.add(key)
    return loader.construct_mapping(node, deep)


UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


class Check:
    def __init__(self, folder, clever_sync=None):
        self.folder = folder
        self.clever_sync = clever_sync
        self.errors = []
        self.documents = {}  # file -> [objects]

    def fail(self, where, message):
        self.errors.append(f"{where}: {message}")

    def objects(self, kind=None):
        for file, docs in sorted(self.documents.items()):
            for doc in docs:
                if kind is None or doc.get("kind") == kind:
                    yield file, doc

    def run(self):
        self.parse()
        if self.errors:
            return self.errors
        self.schemas()
        self.kustomization()
        self.deployment()
        self.profiles()
        self.containerfile()
        return self.errors

    def parse(self):
        for name in sorted(os.listdir(self.folder)):
            if not name.endswith(".yaml"):
                continue
            try:
                with open(os.path.join(self.folder, name), encoding="utf-8") as file:
                    docs = [d for d in yaml.load_all(file, Loader=UniqueKeyLoader) if d is not None]
            except yaml.YAMLError as error:
                self.fail(name, f"not YAML: {error}")
                continue
            for doc in docs:
                if not isinstance(doc, dict) or not doc.get("apiVersion") or not doc.get("kind"):
                    self.fail(name, "a document without apiVersion and kind")
                elif doc["kind"] != "Kustomization" and not (doc.get("metadata") or {}).get("name"):
                    self.fail(name, f"a {doc['kind']} without metadata.name")
            self.documents[name] = docs

    def schemas(self):
        files = [os.path.join(self.folder, f) for f, docs in sorted(self.documents.items())
                 if any(d["kind"] != "Kustomization" for d in docs)]
        tool = os.path.join(os.path.dirname(sys.executable), "kubernetes-validate")
        for version in VERSIONS:
            result = subprocess.run([tool, "--strict", "--quiet", "-k", version] + files,
                                    capture_output=True, text=True)
            if result.returncode != 0:
                self.fail("schemas", f"Kubernetes {version}:\n{result.stdout}{result.stderr}")

    def kustomization(self):
        docs = self.documents.get("kustomization.yaml", [])
        if len(docs) != 1:
            self.fail("kustomization.yaml", "missing")
            return
        listed = docs[0].get("resources") or []
        for name in listed:
            if name not in self.documents:
                self.fail("kustomization.yaml", f"lists {name}, which is not in the folder")
        for name in self.documents:
            if name not in listed and name not in ("kustomization.yaml", EXAMPLE_SECRETS):
                self.fail("kustomization.yaml", f"does not list {name}")
        if EXAMPLE_SECRETS in listed:
            self.fail("kustomization.yaml", f"lists {EXAMPLE_SECRETS}: apply -k would put placeholders over real secrets")
        images = [i.get("name") for i in docs[0].get("images") or []]
        for file, deployment in self.objects("Deployment"):
            for container in deployment["spec"]["template"]["spec"]["containers"]:
                if container["image"].rsplit(":", 1)[0] not in images:
                    self.fail("kustomization.yaml", f"images: does not name {container['image']}")

    def names(self, kind):
        return {doc["metadata"]["name"] for _, doc in self.objects(kind)}

    def entrypoint(self):
        text = self.containerfile_text()
        match = re.search(r"^ENTRYPOINT\s+(\[.*?\])\s*$", text.replace("\\\n", " "), re.M)
        return yaml.safe_load(match.group(1)) if match else []

    def deployment(self):
        deployments = list(self.objects("Deployment"))
        if len(deployments) != 1:
            self.fail("deployment", f"{len(deployments)} Deployments, not one")
            return
        file, deployment = deployments[0]
        spec = deployment["spec"]
        if spec.get("replicas") != 1:
            self.fail(file, "replicas must be 1: two daemons on the same profiles do not share the work")
        if (spec.get("strategy") or {}).get("type") != "Recreate":
            self.fail(file, "strategy must be Recreate: never two daemons at once")
        pod = spec["template"]["spec"]
        security = pod.get("securityContext") or {}
        if security.get("runAsNonRoot") is not True:
            self.fail(file, "securityContext.runAsNonRoot must be true")
        user = re.search(r"^USER\s+(\d+)", self.containerfile_text(), re.M)
        if not user or security.get("runAsUser") != int(user.group(1)):
            self.fail(file, "securityContext.runAsUser is not the Containerfile's USER")
        volumes = {v["name"]: v for v in pod.get("volumes") or []}
        for name, volume in volumes.items():
            for kind, key, known in (("configMap", "name", "ConfigMap"), ("secret", "secretName", "Secret"),
                                     ("persistentVolumeClaim", "claimName", "PersistentVolumeClaim")):
                if kind in volume and volume[kind][key] not in self.names(known):
                    self.fail(file, f"volume {name}: no {known} {volume[kind][key]}")
        entrypoint = self.entrypoint()
        health = entrypoint[entrypoint.index("--health-file") + 1] if "--health-file" in entrypoint else None
        profiles = entrypoint[entrypoint.index("--profiles") + 1] if "--profiles" in entrypoint else None
        if health is None or profiles is None:
            self.fail("Containerfile", "ENTRYPOINT: the daemon needs --profiles and --health-file")
        for container in pod["containers"]:
            where = f"{file}: container {container['name']}"
            context = container.get("securityContext") or {}
            if context.get("readOnlyRootFilesystem") is not True:
                self.fail(where, "readOnlyRootFilesystem must be true")
            if context.get("allowPrivilegeEscalation") is not False:
                self.fail(where, "allowPrivilegeEscalation must be false")
            for source in container.get("envFrom") or []:
                if "secretRef" in source and source["secretRef"]["name"] not in self.names("Secret"):
                    self.fail(where, f"envFrom: no Secret {source['secretRef']['name']}")
            mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts") or []}
            for path, name in mounts.items():
                if name not in volumes:
                    self.fail(where, f"mount {path}: no volume {name}")
            if profiles not in mounts:
                self.fail(where, f"nothing mounted at {profiles}, where the daemon reads the profiles")
            if health and os.path.dirname(health) not in mounts:
                self.fail(where, f"nothing writable mounted at {os.path.dirname(health)} for the health file")
            for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                command = ((container.get(probe) or {}).get("exec") or {}).get("command") or []
                if command[1:4] != ["health", "--file", health] or not command[0].endswith("clever-sync"):
                    self.fail(where, f"{probe}: not `clever-sync health --file {health}`")
            if not (container.get("resources") or {}).get("requests"):
                self.fail(where, "no resources.requests")

    def profiles(self):
        secrets = {}
        for _, secret in self.objects("Secret"):
            secrets.update({key: secret["metadata"]["name"] for key in (secret.get("stringData") or {})})
        maps = [doc for _, doc in self.objects("ConfigMap") if doc["metadata"]["name"] == "clever-sync-profiles"]
        if not maps:
            self.fail("configmap-profiles.yaml", "no ConfigMap clever-sync-profiles")
            return
        mounted = set()
        for _, deployment in self.objects("Deployment"):
            for container in deployment["spec"]["template"]["spec"]["containers"]:
                mounted |= {m["mountPath"] for m in container.get("volumeMounts") or []}
        for name, text in sorted(maps[0].get("data", {}).items()):
            where = f"configmap-profiles.yaml: {name}"
            if not name.endswith(".toml"):
                self.fail(where, "a profile's key must end in .toml (the daemon serves *.toml only)")
            for variable in re.findall(r'^\s*\w+_env\s*=\s*"([^"]*)"', text, re.M):
                if variable not in secrets:
                    self.fail(where, f"{variable} is not a key of the example Secrets")
            for path in re.findall(r'^\s*known_hosts\s*=\s*"([^"]*)"', text, re.M):
                if os.path.dirname(path) not in mounted:
                    self.fail(where, f"known_hosts {path}: its folder is not mounted")
            if self.clever_sync:
                self.config_check(where, name, text)

    def config_check(self, where, name, text):
        with tempfile.TemporaryDirectory() as scratch:
            path = os.path.join(scratch, name)
            with open(path, "w", encoding="utf-8") as file:
                file.write(text)
            environment = dict(os.environ, CLEVER_SYNC_STATE_DIR=os.path.join(scratch, "state"))
            result = subprocess.run([self.clever_sync, "config", "check", "--profile", path],
                                    capture_output=True, text=True, env=environment)
            if result.returncode != 0:
                self.fail(where, f"clever-sync config check: {result.stderr.strip()}")

    def containerfile_text(self):
        try:
            with open(os.path.join(self.folder, "Containerfile"), encoding="utf-8") as file:
                return file.read()
        except OSError as error:
            self.fail("Containerfile", str(error))
            return ""

    def containerfile(self):
        text = self.containerfile_text().replace("\\\n", " ")
        stages = set(re.findall(r"^FROM\s+\S+\s+AS\s+(\S+)", text, re.M | re.I))
        for line in re.findall(r"^COPY\s+(.*)$", text, re.M):
            words = line.split()
            options = [w for w in words if w.startswith("--")]
            paths = [w for w in words if not w.startswith("--")]
            stage = next((o.split("=", 1)[1] for o in options if o.startswith("--from=")), None)
            if stage is not None:
                if stage not in stages:
                    self.fail("Containerfile", f"COPY --from={stage}: no such stage")
                continue
            for source in paths[:-1]:
                if not os.path.exists(os.path.join(self.repository, source)):
                    self.fail("Containerfile", f"COPY {source}: not in the repository")
        if "--from=build /out/usr/bin/" not in text or "PREFIX=/usr" not in text:
            self.fail("Containerfile", "the tools must come from `make install DESTDIR=/out PREFIX=/usr`")

    @property
    def repository(self):
        return os.path.abspath(os.path.join(self.folder, "..", ".."))


def self_test():
    """Each check can fail: a broken copy of the folder, one fault at a time."""
    faults = {
        "a misspelt field": ("deployment.yaml", "periodSeconds: 20", "periodSecond: 20"),
        "a key given twice": ("namespace.yaml", "  name: clever-sync\n", "  name: clever-sync\n  name: other\n"),
        "two replicas": ("deployment.yaml", "replicas: 1", "replicas: 2"),
        "a probe that is not clever-sync health": ("deployment.yaml", '"health", "--file", "/run/clever-sync/health", "--max-age", "60"', '"history"'),
        "a missing COPY source": ("Containerfile", "COPY man man", "COPY manual manual"),
        "a variable no Secret holds": ("configmap-profiles.yaml", '"RIVERSIDE_QS_API_KEY"', '"RIVERSIDE_KEY"'),
        "a manifest not listed": ("kustomization.yaml", "  - pvc-state.yaml\n", ""),
    }
    failed = []
    for fault, (name, old, new) in faults.items():
        with tempfile.TemporaryDirectory() as scratch:
            folder = os.path.join(scratch, "examples", "kubernetes")
            shutil.copytree(FOLDER, folder)
            for top in ("Package.swift", "Makefile", "README.md", "LICENSE", "Sources", "Tests", "man", "examples"):
                if not os.path.exists(os.path.join(scratch, top)):
                    os.symlink(os.path.join(REPOSITORY, top), os.path.join(scratch, top))
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as file:
                text = file.read()
            if old not in text:
                failed.append(f"{fault}: {old!r} is no longer in {name}")
                continue
            with open(path, "w", encoding="utf-8") as file:
                file.write(text.replace(old, new, 1))
            if not Check(folder).run():
                failed.append(f"{fault}: not found")
    return failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clever-sync", help="a built clever-sync, to run `config check` on each profile")
    parser.add_argument("--self-test", action="store_true", help="also check that each check finds its fault")
    options = parser.parse_args()
    errors = Check(FOLDER, options.clever_sync).run()
    if options.self_test:
        errors += [f"self-test: {e}" for e in self_test()]
    for error in errors:
        print(f"check-manifests: {error}", file=sys.stderr)
    if errors:
        return 1
    print(f"check-manifests: examples/kubernetes/ is well-formed (Kubernetes {', '.join(VERSIONS)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

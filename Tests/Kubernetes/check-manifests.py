#!/usr/bin/env python3
"""Checks examples/kubernetes/ without a cluster (CI runs it after `make check`).

What it checks:
- every *.yaml parses as YAML, with no key given twice in one mapping;
- every Kubernetes object validates against the API's schemas (strict: no unknown field),
  for an older and a recent Kubernetes, with kubernetes-validate (schemas bundled, offline);
- kustomization.yaml lists every manifest but the example Secrets, and files that exist;
- the Deployment: what it names exists (ConfigMaps, Secrets and their keys, claims, its
  own volumes), at least one replica, non-root with a read-only root file system, the
  three probes running `clever-sync health` on the file the image's daemon touches, the
  profiles mounted where the image's daemon reads them, the state folder writable, the
  image's user, `--lease` (if given) 2 seconds or more, CLEVER_SYNC_NODE (if set) the
  pod's name;
- with more than one replica, what lets the daemons share the runs: every profile on
  `store = "postgresql"` (SQLite is one machine's), no ReadWriteOnce claim (one node's)
  shared by the replicas, CLEVER_SYNC_NODE set from the pod's name (metadata.name), so
  that no two replicas take leases under one name;
- a PodDisruptionBudget selects the Deployment's pods and leaves one to evict;
- each profile of the ConfigMap: it is TOML, every variable it names is a key of the
  example Secrets, its known_hosts is mounted, CLEVER_SYNC_DATABASE_URL is set if its
  history is in PostgreSQL; with --clever-sync BIN, `clever-sync config check` passes;
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
import subprocess
import sys
import tempfile
import tomllib

import yaml

import manifest_self_test

REPOSITORY = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FOLDER = os.path.join(REPOSITORY, "examples", "kubernetes")
# The oldest and newest Kubernetes the pinned kubernetes-validate has schemas for, nearly.
VERSIONS = ["1.29.0", "1.37.0"]
EXAMPLE_SECRETS = "secret-example.yaml"
# Access modes of a volume that one node mounts: pods of several nodes cannot share it.
ONE_NODE_MODES = {"ReadWriteOnce", "ReadWriteOncePod"}


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
        self.disruption_budgets()
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

    def image_instruction(self, instruction):
        """An exec-form instruction of the Containerfile (ENTRYPOINT, CMD) as a list."""
        text = self.containerfile_text()
        match = re.search(rf"^{instruction}\s+(\[.*?\])\s*$", text.replace("\\\n", " "), re.M)
        return yaml.safe_load(match.group(1)) if match else []

    def image_setting(self, variable):
        """A variable the Containerfile's ENV sets."""
        match = re.search(rf"^ENV\s.*?\b{variable}=(\S+)", self.containerfile_text().replace("\\\n", " "), re.M)
        return match.group(1) if match else None

    def deployment(self):
        deployments = list(self.objects("Deployment"))
        if len(deployments) != 1:
            self.fail("deployment", f"{len(deployments)} Deployments, not one")
            return
        file, deployment = deployments[0]
        spec = deployment["spec"]
        replicas = self.replicas()
        if replicas < 1:
            self.fail(file, "replicas must be 1 or more")
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
            claim = self.claims().get((volume.get("persistentVolumeClaim") or {}).get("claimName"))
            if replicas > 1 and claim is not None and ONE_NODE_MODES & set(claim["spec"].get("accessModes") or []):
                self.fail(file, f"volume {name}: claim {claim['metadata']['name']} is ReadWriteOnce (one node's), "
                                f"and the {replicas} replicas would share it: give each pod an emptyDir")
        entrypoint = self.image_instruction("ENTRYPOINT")
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
            self.environment(where, container, replicas)
            self.lease(where, container)
            mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts") or []}
            for path, name in mounts.items():
                if name not in volumes:
                    self.fail(where, f"mount {path}: no volume {name}")
            writable = {m["mountPath"] for m in container.get("volumeMounts") or [] if not m.get("readOnly")}
            state = self.image_setting("CLEVER_SYNC_STATE_DIR")
            if state not in writable:
                self.fail(where, f"nothing writable mounted at {state}, the state folder (the root is read-only)")
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

    def replicas(self):
        deployments = [doc for _, doc in self.objects("Deployment")]
        replicas = deployments[0]["spec"].get("replicas", 1) if len(deployments) == 1 else 1
        return replicas if isinstance(replicas, int) else 0

    def claims(self):
        return {doc["metadata"]["name"]: doc for _, doc in self.objects("PersistentVolumeClaim")}

    def secret_keys(self):
        keys = {}
        for _, secret in self.objects("Secret"):
            keys.setdefault(secret["metadata"]["name"], set()).update(secret.get("stringData") or {})
        return keys

    def environment(self, where, container, replicas):
        """The variables set one by one: their Secrets' keys exist, and the node's name is the pod's."""
        secrets = self.secret_keys()
        node = None
        for variable in container.get("env") or []:
            reference = (variable.get("valueFrom") or {}).get("secretKeyRef")
            if reference and not reference.get("optional") and reference["key"] not in secrets.get(reference["name"], ()):
                self.fail(where, f"env {variable['name']}: no key {reference['key']} in a Secret {reference['name']}")
            if variable["name"] == "CLEVER_SYNC_NODE":
                node = variable
        if node is None and replicas > 1:
            self.fail(where, f"{replicas} replicas but no CLEVER_SYNC_NODE: set it from metadata.name, one name per pod")
        elif node is not None and ((node.get("valueFrom") or {}).get("fieldRef") or {}).get("fieldPath") != "metadata.name":
            self.fail(where, "CLEVER_SYNC_NODE must come from metadata.name (fieldRef): "
                             "replicas of one name would take each other's leases as their own node's")

    def lease(self, where, container):
        """`--lease SECONDS` after the entrypoint (the container's args, else the image's CMD): 2 or more."""
        arguments = container["args"] if "args" in container else self.image_instruction("CMD")
        values = [a.split("=", 1)[1] for a in arguments if a.startswith("--lease=")]
        values += [arguments[i + 1] for i, a in enumerate(arguments[:-1]) if a == "--lease"]
        for value in values:
            if not re.fullmatch(r"\d+", value) or int(value) < 2:
                self.fail(where, f"--lease {value}: the lease must be a whole number of seconds, 2 or more")

    def disruption_budgets(self):
        labels = {}
        for _, deployment in self.objects("Deployment"):
            labels = deployment["spec"]["template"]["metadata"].get("labels") or {}
        for file, budget in self.objects("PodDisruptionBudget"):
            selector = budget["spec"].get("selector") or {}
            if not selector.get("matchLabels") or selector["matchLabels"].items() - labels.items():
                self.fail(file, "the budget's selector.matchLabels do not select the Deployment's pods")
            least = budget["spec"].get("minAvailable")
            if isinstance(least, int) and least >= self.replicas():
                self.fail(file, f"minAvailable {least} with {self.replicas()} replicas: no pod could ever be "
                                "evicted, and every drain of their nodes would wait forever")

    def profiles(self):
        secrets = set().union(*self.secret_keys().values())
        maps = [doc for _, doc in self.objects("ConfigMap") if doc["metadata"]["name"] == "clever-sync-profiles"]
        if not maps:
            self.fail("configmap-profiles.yaml", "no ConfigMap clever-sync-profiles")
            return
        mounted, variables = set(), set()
        for _, deployment in self.objects("Deployment"):
            for container in deployment["spec"]["template"]["spec"]["containers"]:
                mounted |= {m["mountPath"] for m in container.get("volumeMounts") or []}
                variables |= {v["name"] for v in container.get("env") or []}
                for source in container.get("envFrom") or []:
                    variables |= self.secret_keys().get((source.get("secretRef") or {}).get("name"), set())
        replicas = self.replicas()
        for name, text in sorted(maps[0].get("data", {}).items()):
            where = f"configmap-profiles.yaml: {name}"
            if not name.endswith(".toml"):
                self.fail(where, "a profile's key must end in .toml (the daemon serves *.toml only)")
            try:
                history = tomllib.loads(text).get("history") or {}
            except tomllib.TOMLDecodeError as error:
                self.fail(where, f"not TOML: {error}")
                continue
            postgresql = history.get("store") == "postgresql"
            if replicas > 1 and not postgresql:
                self.fail(where, f'{replicas} replicas need [history] store = "postgresql": an SQLite history '
                                 "is one machine's, and the daemons would each run the profile's slots")
            if postgresql and "database_url_file" not in history and "CLEVER_SYNC_DATABASE_URL" not in variables:
                self.fail(where, "its history is in PostgreSQL, but the daemon has no CLEVER_SYNC_DATABASE_URL")
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clever-sync", help="a built clever-sync, to run `config check` on each profile")
    parser.add_argument("--self-test", action="store_true", help="also check that each check finds its fault")
    options = parser.parse_args()
    errors = Check(FOLDER, options.clever_sync).run()
    if options.self_test:
        errors += [f"self-test: {e}" for e in manifest_self_test.run(Check, FOLDER)]
    for error in errors:
        print(f"check-manifests: {error}", file=sys.stderr)
    if errors:
        return 1
    print(f"check-manifests: examples/kubernetes/ is well-formed (Kubernetes {', '.join(VERSIONS)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

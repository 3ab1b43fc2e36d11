"""Reading the deployment files without kustomize, Docker or a cluster.

- `render(directory)`: what `kubectl apply -k` sends, for the kustomization fields this
  project uses (resources, namespace, images); any other field is refused rather than
  ignored, so that this rendering never differs from kustomize's in silence.
- `SchemaValidator`: the Kubernetes OpenAPI schemas (strict: unknown fields are errors)
  that the PyPI package kubernetes-validate bundles, used offline. Its own `validate()`
  needs jsonschema>=4.18 (the `referencing` registry), which Rasa 3.6 forbids
  (jsonschema<4.18, attrs<22.2), so its schema files are read here with jsonschema
  4.17's RefResolver, the way kubernetes-validate 1.28 did it itself.
- `Dockerfile`, `DockerIgnore`: the instructions of deploy/Dockerfile and Docker's rules
  for .dockerignore.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, RefResolver

# The newest Kubernetes whose schemas kubernetes-validate==1.33.1 ships.
KUBERNETES_VERSION = "1.33.0"
KUSTOMIZATION_FIELDS = {"apiVersion", "kind", "resources", "namespace", "images"}
# Kinds that have no namespace.
CLUSTER_KINDS = {"Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume"}


def load_documents(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [document for document in yaml.safe_load_all(handle) if document]


@dataclass
class Rendered:
    objects: list[dict[str, Any]]
    kustomization: dict[str, Any]
    problems: list[str] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        return [obj for obj in self.objects if obj.get("kind") == kind]

    def named(self, kind: str, name: str) -> dict[str, Any] | None:
        for obj in self.of_kind(kind):
            if obj["metadata"]["name"] == name:
                return obj
        return None


def _pod_specs(obj: dict[str, Any]) -> list[dict[str, Any]]:
    if obj.get("kind") in ("Deployment", "StatefulSet", "DaemonSet", "Job"):
        return [obj["spec"]["template"]["spec"]]
    if obj.get("kind") == "Pod":
        return [obj["spec"]]
    return []


def containers_of(obj: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for spec in _pod_specs(obj):
        found += spec.get("initContainers", []) + spec.get("containers", [])
    return found


def _new_image(image: str, rules: list[dict[str, Any]]) -> str:
    name, _, tag = image.partition(":")
    for rule in rules:
        if rule.get("name") == name:
            name = rule.get("newName", name)
            tag = str(rule.get("newTag", tag))
    return f"{name}:{tag}" if tag else name


def render(directory: Path) -> Rendered:
    """The objects of `directory/kustomization.yaml`, transformed as kustomize would."""
    kustomization = yaml.safe_load((directory / "kustomization.yaml").read_text())
    problems = [
        f"kustomization.yaml: field {name!r} is not rendered by tests/deploy/rendering.py"
        for name in sorted(set(kustomization) - KUSTOMIZATION_FIELDS)
    ]
    objects: list[dict[str, Any]] = []
    for resource in kustomization.get("resources", []):
        path = directory / resource
        if not path.is_file():
            problems.append(f"kustomization.yaml: resource {resource} does not exist")
            continue
        for document in load_documents(path):
            document = copy.deepcopy(document)
            document.setdefault("metadata", {})
            document["metadata"].setdefault("annotations", {})
            document["metadata"]["annotations"]["tests.deploy/source"] = resource
            objects.append(document)
    namespace = kustomization.get("namespace")
    images = kustomization.get("images", [])
    for obj in objects:
        if namespace and obj.get("kind") not in CLUSTER_KINDS:
            obj["metadata"]["namespace"] = namespace
        for container in containers_of(obj):
            container["image"] = _new_image(container["image"], images)
    return Rendered(objects, kustomization, problems)


def source_of(obj: dict[str, Any]) -> str:
    return obj["metadata"].get("annotations", {}).get("tests.deploy/source", "?")


def without_render_marks(obj: dict[str, Any]) -> dict[str, Any]:
    """The object as kustomize would send it (without this module's source note)."""
    clean = copy.deepcopy(obj)
    annotations = clean["metadata"].get("annotations", {})
    annotations.pop("tests.deploy/source", None)
    if not annotations:
        clean["metadata"].pop("annotations", None)
    return clean


def _offline(uri: str):
    raise AssertionError(f"the schemas must resolve offline; they asked for {uri}")


def schema_directory(version: str = KUBERNETES_VERSION) -> Path:
    spec = importlib.util.find_spec("kubernetes_validate")
    if spec is None or not spec.submodule_search_locations:
        raise AssertionError("kubernetes-validate is not installed (requirements.txt)")
    base = Path(next(iter(spec.submodule_search_locations)))
    return base / "kubernetes-json-schema" / f"v{version}-local-strict"


class SchemaValidator:
    """Validates objects against kubernetes-validate's strict schemas of one version."""

    def __init__(self, version: str = KUBERNETES_VERSION) -> None:
        self.version = version
        self.directory = schema_directory(version)
        definitions_file = self.directory / "_definitions.json"
        if not definitions_file.is_file():
            raise AssertionError(f"kubernetes-validate ships no schemas for {version}")
        self.definitions = json.loads(definitions_file.read_text())
        # One resolver whose referrer is the definitions: jsonschema caches the search of
        # its referrer, and every schema's $ref points into the definitions.
        self.resolver = RefResolver(
            base_uri=self.definitions["$id"],
            referrer=self.definitions,
            store={self.definitions["$id"]: self.definitions},
            handlers={"http": _offline, "https": _offline},
        )

    def schema_file(self, obj: dict[str, Any]) -> Path:
        # kubernetes-validate's own naming: apps/v1 -> apps-v1, networking.k8s.io/v1 ->
        # networking-v1, v1 -> v1.
        api = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", str(obj.get("apiVersion", "")))
        return self.directory / f"{str(obj.get('kind', '')).lower()}-{api}.json"

    def errors(self, obj: dict[str, Any]) -> list[str]:
        path = self.schema_file(obj)
        if not path.is_file():
            return [f"no schema for {obj.get('kind')} {obj.get('apiVersion')} in {self.version}"]
        schema = json.loads(path.read_text())
        validator = Draft202012Validator(schema, resolver=self.resolver)
        return [
            f"{'.'.join(str(part) for part in error.absolute_path) or '(top)'}: {error.message}"
            for error in sorted(validator.iter_errors(obj), key=lambda e: list(e.absolute_path))
        ]


@dataclass
class Instruction:
    keyword: str
    arguments: str
    stage: int  # -1 before the first FROM


class Dockerfile:
    """The instructions of a Dockerfile, with its ARG defaults expanded."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.instructions: list[Instruction] = []
        stage = -1
        logical = ""
        for raw in path.read_text().splitlines():
            line = raw.strip()
            if not logical and (not line or line.startswith("#")):
                continue
            if line.startswith("#"):
                continue  # a comment inside a continued instruction
            if line.endswith("\\"):
                logical += line[:-1] + " "
                continue
            logical += line
            keyword, _, arguments = logical.strip().partition(" ")
            keyword = keyword.upper()
            if keyword == "FROM":
                stage += 1
            self.instructions.append(Instruction(keyword, arguments.strip(), stage))
            logical = ""
        self.arg_defaults: dict[str, str] = {}
        for instruction in self.of("ARG"):
            name, _, default = instruction.arguments.partition("=")
            if default:
                self.arg_defaults[name.strip()] = default.strip().strip('"')

    def of(self, keyword: str, stage: int | None = None) -> list[Instruction]:
        return [
            i
            for i in self.instructions
            if i.keyword == keyword and (stage is None or i.stage == stage)
        ]

    @property
    def final_stage(self) -> int:
        return max(i.stage for i in self.instructions)

    def expand(self, text: str) -> str:
        def value(match: re.Match) -> str:
            name = match.group(1) or match.group(2)
            return self.arg_defaults.get(name, match.group(0))

        return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)", value, text)

    def copies(self) -> list[tuple[list[str], str, bool]]:
        """(sources, destination, from another stage) of every COPY/ADD."""
        found = []
        for instruction in self.of("COPY") + self.of("ADD"):
            words = shlex.split(instruction.arguments)
            from_stage = any(word.startswith("--from=") for word in words)
            words = [word for word in words if not word.startswith("--")]
            found.append((words[:-1], words[-1], from_stage))
        return found

    def environment(self, stage: int | None = None) -> dict[str, str]:
        """The ENV of a stage (the final one by default)."""
        stage = self.final_stage if stage is None else stage
        values: dict[str, str] = {}
        for instruction in self.of("ENV", stage):
            for word in shlex.split(instruction.arguments):
                name, _, value = word.partition("=")
                values[name] = value
        return values

    def exposed_ports(self) -> set[int]:
        ports = set()
        for instruction in self.of("EXPOSE", self.final_stage):
            ports |= {int(word.split("/")[0]) for word in instruction.arguments.split()}
        return ports

    def base_images(self) -> list[str]:
        return [self.expand(i.arguments.split()[0]) for i in self.of("FROM") if i.arguments.split()]


def _pattern_regex(pattern: str) -> re.Pattern:
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        elif pattern[i] == "[":
            end = pattern.index("]", i)
            out, i = out + pattern[i : end + 1], end + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out)


class DockerIgnore:
    """Docker's rules: patterns in order, the last one that matches a path or one of its
    parent folders decides, `!` re-includes."""

    def __init__(self, text: str) -> None:
        self.rules: list[tuple[bool, re.Pattern]] = []
        for line in text.splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            include = line.startswith("!")
            pattern = (line[1:] if include else line).strip().strip("/")
            self.rules.append((include, _pattern_regex(pattern)))

    def excluded(self, relative_path: str) -> bool:
        parts = relative_path.strip("/").split("/")
        candidates = ["/".join(parts[:end]) for end in range(1, len(parts) + 1)]
        excluded = False
        for include, regex in self.rules:
            if any(regex.fullmatch(candidate) for candidate in candidates):
                excluded = not include
        return excluded

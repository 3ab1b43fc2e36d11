"""The deployment checks: each returns the problems it finds (an empty list: none).

They take a `Deployment` loaded from a folder, so that the tests run them on
deploy/ itself and on broken copies of it (to prove each check can fail).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import runpy
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from tests.deploy import project_facts as facts
from tests.deploy.rendering import (
    Dockerfile,
    DockerIgnore,
    Rendered,
    SchemaValidator,
    containers_of,
    load_documents,
    render,
    source_of,
    without_render_marks,
)

REPO = facts.REPO
SECRET_NAME = "assistant-secrets"
SECRET_TEMPLATE = "secret.template.yaml"
CONFIG_MAP = "assistant-config"
COMPONENT = "app.kubernetes.io/component"

# Variables the manifests or the image may set that the project's code does not read:
# Python's, the operating system's, and the libraries' own.
THIRD_PARTY_ENVIRONMENT = {
    "PATH": "the shell",
    "HOME": "the operating system",
    "PYTHONPATH": "Python",
    "PYTHONUNBUFFERED": "Python",
    "PYTHONDONTWRITEBYTECODE": "Python",
    "RASA_TELEMETRY_ENABLED": "Rasa (rasa/telemetry.py)",
    "TF_CPP_MIN_LOG_LEVEL": "TensorFlow",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "SQLAlchemy 1.4",
    "MPLCONFIGDIR": "matplotlib (imported by Rasa)",
    "PIP_DISABLE_PIP_VERSION_CHECK": "pip",
    "PIP_NO_CACHE_DIR": "pip",
}

# Secrets the code can read that the cluster's Secret does not carry, and why.
SECRETS_NOT_IN_TEMPLATE = {
    "REST_CHANNEL_TOKEN": "the REST channel is off in production (REST_CHANNEL defaults to "
    "off with ASSISTANT_ENV=production) and the Ingress does not route /webhooks/rest",
    "REDIS_URL": "the channels' Redis is built from REDIS_HOST and REDIS_PORT "
    "(configmap.yaml), the variables of Rasa's lock store",
    "REDIS_PASSWORD": "the Redis of endpoints.production.yml's lock store takes no password",
}


@dataclass(frozen=True)
class Role:
    module: str
    arguments_first: tuple[str, ...]  # e.g. ("serve",)
    port_variable: str
    resident_bytes: int  # what we know of its memory use
    probe_paths: frozenset[str]
    # Variables the process cannot do without in production (besides the ${...} of
    # endpoints.production.yml for Rasa, checked on their own).
    needs: tuple[str, ...]


def _mib(value: int) -> int:
    return value * 1024 * 1024


COMMON_NEEDS = ("ASSISTANT_ENV", "ASSISTANT_BIND_HOST")


def roles() -> dict[str, Role]:
    """Deployment component -> what the code says about that process."""
    return {
        "rasa": Role(
            "bot.ops.rasa_server",
            (),
            "RASA_PORT",
            1_500_000_000,
            facts.rasa_open_routes(),
            # bot/ops/rasa_server.py, channels/webchat/ (sessions, CORS, socket.io)
            (*COMMON_NEEDS, "RASA_API_TOKEN", "WEBCHAT_SESSION_SECRET", "ALLOWED_ORIGINS"),
        ),
        "action-server": Role(
            "bot.ops.action_server",
            (),
            "ACTION_SERVER_PORT",
            200_000_000,
            frozenset(facts.action_server_open_paths()) & facts.action_server_routes(),
            # bot/ops/shared_secret.py, bot/privacy/forget.py, bot/agency/ (endpoint
            # checks), the database, retention of the tracker store.
            (
                *COMMON_NEEDS,
                "ACTION_SERVER_SECRET",
                "CONVERSATION_HASH_KEY",
                "AGENCY_API_URL",
                "AGENCY_CLIENT_ID",
                "AGENCY_CLIENT_SECRET",
                "ASSISTANT_DATABASE_URL",
                "TRACKER_DB_HOST",
                "TRACKER_DB_PASSWORD",
            ),
        ),
        "console": Role(
            "bot.console",
            ("serve",),
            "CONSOLE_PORT",
            _mib(64),
            # Every other page asks for a login (a redirect, which a probe takes for a
            # success); /health answers without one.
            frozenset(p for p in facts.console_get_routes() if p == "/health"),
            # bot/console/server.py: the database, Rasa's API, cookies behind HTTPS.
            (
                *COMMON_NEEDS,
                "ASSISTANT_DATABASE_URL",
                "RASA_URL",
                "RASA_API_TOKEN",
                "CONSOLE_SECURE_COOKIES",
            ),
        ),
    }


@dataclass
class Deployment:
    """deploy/ as the checks see it."""

    directory: Path  # deploy/
    rendered: Rendered
    secret_template: dict[str, Any] | None
    dockerfile: Dockerfile
    dockerignore: DockerIgnore

    @classmethod
    def load(cls, directory: Path, dockerignore: Path | None = None) -> Deployment:
        kubernetes = directory / "kubernetes"
        template_path = kubernetes / SECRET_TEMPLATE
        templates = load_documents(template_path) if template_path.is_file() else []
        ignore_file = dockerignore or REPO / ".dockerignore"
        return cls(
            directory,
            render(kubernetes),
            templates[0] if len(templates) == 1 else None,
            Dockerfile(directory / "Dockerfile"),
            DockerIgnore(ignore_file.read_text() if ignore_file.is_file() else ""),
        )

    # --- helpers -------------------------------------------------------------------------

    def deployments(self) -> dict[str, dict[str, Any]]:
        """component label -> Deployment."""
        return {
            d["spec"]["template"]["metadata"]["labels"].get(COMPONENT, d["metadata"]["name"]): d
            for d in self.rendered.of_kind("Deployment")
        }

    def config(self) -> dict[str, str]:
        config_map = self.rendered.named("ConfigMap", CONFIG_MAP)
        return dict((config_map or {}).get("data") or {})

    def template_keys(self) -> set[str]:
        template = self.secret_template or {}
        return set(template.get("stringData") or {}) | set(template.get("data") or {})

    def environment_of(self, container: dict[str, Any]) -> dict[str, str]:
        """The container's variables: the ConfigMaps of envFrom, then env (values of
        secrets as `<secret:KEY>`)."""
        values: dict[str, str] = {}
        for source in container.get("envFrom", []):
            reference = source.get("configMapRef")
            if reference:
                config_map = self.rendered.named("ConfigMap", reference["name"]) or {}
                values.update(config_map.get("data") or {})
        for variable in container.get("env", []):
            if "value" in variable:
                values[variable["name"]] = str(variable["value"])
            elif "secretKeyRef" in variable.get("valueFrom", {}):
                values[variable["name"]] = (
                    f"<secret:{variable['valueFrom']['secretKeyRef']['key']}>"
                )
        return values

    def services_selecting(self, labels: dict[str, str]) -> list[dict[str, Any]]:
        return [
            s
            for s in self.rendered.of_kind("Service")
            if s["spec"].get("selector") and _selects(s["spec"]["selector"], labels)
        ]


def _selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def _match_labels(selector: dict[str, Any]) -> dict[str, str]:
    if set(selector) - {"matchLabels"}:
        raise AssertionError("only matchLabels selectors are checked here")
    return selector.get("matchLabels") or {}


def _pod_labels(deployment: dict[str, Any]) -> dict[str, str]:
    return deployment["spec"]["template"]["metadata"].get("labels", {})


def _container_port(container: dict[str, Any], port: int | str) -> int | None:
    for declared in container.get("ports", []):
        if port in (declared.get("name"), declared["containerPort"]):
            return declared["containerPort"]
    return None


def _quantity(value: str | int) -> float:
    """A Kubernetes quantity in base units (bytes, cores)."""
    text = str(value)
    units = {
        "Ki": 2**10,
        "Mi": 2**20,
        "Gi": 2**30,
        "Ti": 2**40,
        "k": 1e3,
        "M": 1e6,
        "G": 1e9,
        "T": 1e12,
        "m": 1e-3,
    }
    for suffix, factor in units.items():
        if text.endswith(suffix):
            return float(text[: -len(suffix)]) * factor
    return float(text)


# --- kustomization and schemas -----------------------------------------------------------


def check_kustomization(deployment: Deployment) -> list[str]:
    problems = list(deployment.rendered.problems)
    kubernetes = deployment.directory / "kubernetes"
    resources = set(deployment.rendered.kustomization.get("resources", []))
    if SECRET_TEMPLATE in resources:
        problems.append(
            f"{SECRET_TEMPLATE} is listed in kustomization.yaml: applying would overwrite "
            "the real Secret with empty values"
        )
    for path in sorted(kubernetes.glob("*.y*ml")):
        if path.name not in resources | {"kustomization.yaml", SECRET_TEMPLATE}:
            problems.append(f"{path.name} is in deploy/kubernetes but not in kustomization.yaml")
    if deployment.secret_template is None:
        problems.append(f"{SECRET_TEMPLATE} must hold exactly one Secret")
    namespace = deployment.rendered.kustomization.get("namespace")
    namespaces = [n["metadata"]["name"] for n in deployment.rendered.of_kind("Namespace")]
    if namespaces != [namespace]:
        problems.append(
            f"the Namespace object(s) {namespaces} must be kustomization.yaml's {namespace}"
        )
    seen = set()
    for obj in deployment.rendered.objects:
        key = (obj.get("kind"), obj["metadata"].get("name"))
        if key in seen:
            problems.append(f"{key[0]} {key[1]} is defined twice")
        seen.add(key)
    return problems


def check_schemas(deployment: Deployment, validator: SchemaValidator) -> list[str]:
    problems = []
    objects = [(source_of(o), without_render_marks(o)) for o in deployment.rendered.objects]
    if deployment.secret_template is not None:
        objects.append((SECRET_TEMPLATE, deployment.secret_template))
    for source, obj in objects:
        for error in validator.errors(obj):
            name = obj.get("metadata", {}).get("name")
            problems.append(f"{source}: {obj.get('kind')} {name}: {error}")
    return problems


# --- settings, environment, secrets ------------------------------------------------------


def check_environment_names(deployment: Deployment) -> list[str]:
    """Every variable set is one the code (or a named library) reads."""
    known = facts.environment_names() | set(THIRD_PARTY_ENVIRONMENT)
    named: list[tuple[str, str]] = [(k, f"ConfigMap {CONFIG_MAP}") for k in deployment.config()]
    named += [(k, SECRET_TEMPLATE) for k in deployment.template_keys()]
    for component, obj in deployment.deployments().items():
        for container in containers_of(obj):
            named += [(v["name"], f"container {component}") for v in container.get("env", [])]
    named += [(k, "deploy/Dockerfile ENV") for k in deployment.dockerfile.environment()]
    return [
        f"{where}: {name} is read by no code in bot/, channels/, actions/ or "
        "endpoints.production.yml (a made-up name?)"
        for name, where in named
        if name not in known
    ]


def check_secrets(deployment: Deployment) -> list[str]:
    problems = []
    template = deployment.secret_template or {}
    if template.get("metadata", {}).get("name") != SECRET_NAME:
        problems.append(f"{SECRET_TEMPLATE}: the Secret must be named {SECRET_NAME}")
    for key, value in (template.get("stringData") or {}).items():
        if value not in ("", None):
            problems.append(f"{SECRET_TEMPLATE}: {key} has a value; the template holds none")
    if template.get("data"):
        problems.append(f"{SECRET_TEMPLATE}: use stringData with empty values, not data")
    keys = deployment.template_keys()
    used = set()
    for component, obj in deployment.deployments().items():
        for container in containers_of(obj):
            for variable in container.get("env", []):
                reference = variable.get("valueFrom", {}).get("secretKeyRef")
                if not reference:
                    continue
                used.add(reference["key"])
                if reference["name"] != SECRET_NAME:
                    problems.append(
                        f"{component}: {variable['name']} refers to the Secret {reference['name']}"
                    )
                if reference["key"] not in keys:
                    problems.append(
                        f"{component}: {variable['name']} refers to the key {reference['key']}, "
                        f"which {SECRET_TEMPLATE} does not have"
                    )
                if reference["key"] != variable["name"]:
                    problems.append(
                        f"{component}: {variable['name']} comes from the key {reference['key']}"
                    )
            for source in container.get("envFrom", []):
                if "secretRef" in source:
                    problems.append(
                        f"{component}: envFrom secretRef gives every secret; name the ones it needs"
                    )
    for key in sorted(keys - used):
        problems.append(f"{SECRET_TEMPLATE}: {key} is given to no container")
    for name, where in sorted(facts.secrets_read_by_code().items()):
        if name not in keys and name not in SECRETS_NOT_IN_TEMPLATE:
            problems.append(
                f"{where} reads the secret {name}, which {SECRET_TEMPLATE} does not carry"
            )
    for component, obj in deployment.deployments().items():
        for container in containers_of(obj):
            for name, value in deployment.environment_of(container).items():
                if name in facts.secrets_read_by_code() and not value.startswith("<secret:"):
                    problems.append(f"{component}: the secret {name} is set in clear text")
    for name in deployment.config():
        if name in keys or name in facts.secrets_read_by_code():
            problems.append(f"ConfigMap {CONFIG_MAP}: {name} is a secret")
    return problems


def _service_for(deployment: Deployment, url: str) -> tuple[dict[str, Any] | None, str]:
    parts = urlsplit(url)
    service = deployment.rendered.named("Service", parts.hostname or "")
    if service is None:
        return None, f"{url}: no Service named {parts.hostname}"
    ports = [p for p in service["spec"].get("ports", []) if p["port"] == parts.port]
    if not ports:
        return None, f"{url}: the Service {parts.hostname} has no port {parts.port}"
    return service, ""


def check_configuration(deployment: Deployment) -> list[str]:
    problems = []
    config = deployment.config()
    expected = {"ASSISTANT_ENV": "production", "ASSISTANT_BIND_HOST": "0.0.0.0"}
    for name, value in expected.items():
        if config.get(name) != value:
            problems.append(f"ConfigMap {CONFIG_MAP}: {name} must be {value!r}")
    deployments = deployment.deployments()
    for name, component in (("ACTION_SERVER_URL", "action-server"), ("RASA_URL", "rasa")):
        service, problem = _service_for(deployment, config.get(name, ""))
        if problem:
            problems.append(f"ConfigMap {CONFIG_MAP}: {name}={problem}")
        elif component not in deployments or not _selects(
            service["spec"]["selector"], _pod_labels(deployments[component])
        ):
            problems.append(f"ConfigMap {CONFIG_MAP}: {name} does not reach the {component} pods")
    for name in ("TRACKER_DB_HOST", "REDIS_HOST"):
        service = deployment.rendered.named("Service", config.get(name, ""))
        if service is None or service["spec"].get("type") != "ExternalName":
            problems.append(
                f"ConfigMap {CONFIG_MAP}: {name} must name an ExternalName Service "
                "(PostgreSQL and Redis are external)"
            )
    for component, obj in deployments.items():
        for container in containers_of(obj):
            for source in container.get("envFrom", []):
                reference = source.get("configMapRef")
                if reference and deployment.rendered.named("ConfigMap", reference["name"]) is None:
                    problems.append(
                        f"{component}: envFrom names a missing ConfigMap {reference['name']}"
                    )
    for component, role in roles().items():
        if component not in deployments:
            problems.append(f"no Deployment for {component}")
            continue
        given = deployment.environment_of(containers_of(deployments[component])[0])
        for name in role.needs:
            if name not in given:
                problems.append(f"{component}: {name} is not set ({role.module} needs it)")
    rasa = deployments.get("rasa")
    if rasa:
        container = containers_of(rasa)[0]
        given = deployment.environment_of(container)
        command = container.get("command", [])
        endpoints = command[command.index("--endpoints") + 1] if "--endpoints" in command else ""
        if endpoints != "endpoints.production.yml":
            problems.append("rasa: must run with --endpoints endpoints.production.yml")
        for name in facts.endpoint_placeholders():
            if name not in given:
                problems.append(
                    f"rasa: endpoints.production.yml needs ${{{name}}}, which is not set"
                )
    return problems


# --- ports, probes, commands, images ------------------------------------------------------


def check_ports(deployment: Deployment) -> list[str]:
    problems = []
    defaults = facts.settings_defaults()
    config = deployment.config()
    deployments = deployment.deployments()
    exposed = deployment.dockerfile.exposed_ports()
    wanted_ports = set()
    for component, role in roles().items():
        default = int(defaults[role.port_variable])
        wanted_ports.add(default)
        if config.get(role.port_variable) != str(default):
            problems.append(
                f"ConfigMap {CONFIG_MAP}: {role.port_variable} must be {default} "
                "(bot/settings.py's default, the port of the image and the Services)"
            )
        obj = deployments.get(component)
        if obj is None:
            problems.append(f"no Deployment for {component}")
            continue
        if not _selects(_match_labels(obj["spec"]["selector"]), _pod_labels(obj)):
            problems.append(f"{component}: the Deployment's selector does not match its pods")
        container = containers_of(obj)[0]
        ports = [p["containerPort"] for p in container.get("ports", [])]
        if ports != [default]:
            problems.append(
                f"{component}: containerPort {ports} must be [{default}] ({role.port_variable})"
            )
        services = deployment.services_selecting(_pod_labels(obj))
        if not services:
            problems.append(f"{component}: no Service selects its pods")
        for service in services:
            for port in service["spec"].get("ports", []):
                if _container_port(container, port.get("targetPort", port["port"])) is None:
                    problems.append(
                        f"Service {service['metadata']['name']}: targetPort "
                        f"{port.get('targetPort')} is no port of {component}"
                    )
    if exposed != wanted_ports:
        problems.append(
            f"deploy/Dockerfile: EXPOSE {sorted(exposed)} must be {sorted(wanted_ports)}"
        )
    for service in deployment.rendered.of_kind("Service"):
        if service["spec"].get("type") == "ExternalName":
            continue
        selector = service["spec"].get("selector", {})
        if not any(_selects(selector, _pod_labels(d)) for d in deployments.values()):
            problems.append(f"Service {service['metadata']['name']} selects no pods")
    return problems


_ENVIRON = re.compile(r"os\.environ\[\"([A-Z_]+)\"\]")


def exec_probe_problems(component: str, kind: str, container: dict, given: dict) -> list[str]:
    """An exec probe: a `python -c` script asking Rasa's API with the token."""
    command = container[kind]["exec"].get("command", [])
    if command[:2] != ["python", "-c"] or len(command) != 3:
        return [f"{component}: {kind} runs {command[:2]}, not a `python -c` script"]
    script = command[2]
    try:
        compile(script, f"{component} {kind}", "exec")
    except SyntaxError as error:
        return [f"{component}: {kind} script: {error}"]
    problems = []
    paths = set(re.findall(r'"(/[a-z_/]*)"', script))
    routes = facts.rasa_get_routes() if component == "rasa" else {}
    if not paths or not paths <= set(routes):
        problems.append(f"{component}: {kind} asks {sorted(paths)}, not a GET route of Rasa")
    for path in paths & set(routes):
        if routes[path] and "RASA_API_TOKEN" not in script:
            problems.append(f"{component}: {kind} asks {path} without the API token")
    for name in _ENVIRON.findall(script):
        if name not in given:
            problems.append(f"{component}: {kind} reads {name}, which the container does not set")
    return problems


def check_probes(deployment: Deployment) -> list[str]:
    problems = []
    for component, role in roles().items():
        obj = deployment.deployments().get(component)
        if obj is None:
            continue
        container = containers_of(obj)[0]
        given = deployment.environment_of(container)
        for kind in ("startupProbe", "readinessProbe", "livenessProbe"):
            probe = container.get(kind)
            if probe and "exec" in probe:
                problems += exec_probe_problems(component, kind, container, given)
                continue
            if not probe or "httpGet" not in probe:
                problems.append(f"{component}: no HTTP or exec {kind}")
                continue
            path, port = probe["httpGet"].get("path"), probe["httpGet"].get("port")
            if path not in role.probe_paths:
                problems.append(
                    f"{component}: {kind} asks {path}, which is not an open health path of "
                    f"{role.module} ({sorted(role.probe_paths)})"
                )
            if _container_port(container, port) is None:
                problems.append(f"{component}: {kind} port {port} is not a port of the container")
    return problems


class _Parsed(Exception):
    def __init__(self, namespace: argparse.Namespace) -> None:
        super().__init__("parsed")
        self.namespace = namespace


def parse_command(module: str, arguments: list[str]) -> tuple[argparse.Namespace | None, str]:
    """Run `python -m module arguments` up to its argument parsing, not further: the
    module's own parser decides whether the command line is valid."""
    original = argparse.ArgumentParser.parse_args

    def capture(self, args=None, namespace=None):
        raise _Parsed(original(self, args, namespace))

    saved_argv = sys.argv[:]
    errors = io.StringIO()
    try:
        argparse.ArgumentParser.parse_args = capture
        sys.argv = [module, *arguments]
        with contextlib.redirect_stderr(errors), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            runpy.run_module(module, run_name="__main__", alter_sys=False)
    except _Parsed as parsed:
        return parsed.namespace, ""
    except SystemExit:
        return None, errors.getvalue().strip().splitlines()[-1:][0] if errors.getvalue() else "exit"
    except ImportError as error:
        return None, f"cannot be imported: {error}"
    finally:
        argparse.ArgumentParser.parse_args = original
        sys.argv = saved_argv
    return None, "ended without parsing a command line"


def _module_file(module: str) -> Path | None:
    base = REPO.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__main__.py"):
        if candidate.is_file():
            return candidate
    return None


def image_model_path(dockerfile: Dockerfile) -> str | None:
    """Where the image holds the model: /app/<destination of the COPY of ${MODEL}>."""
    workdir = dockerfile.of("WORKDIR", dockerfile.final_stage)[-1].arguments
    for sources, destination, _ in dockerfile.copies():
        if any("MODEL" in source for source in sources):
            return destination if destination.startswith("/") else f"{workdir}/{destination}"
    return None


def _copied_top_level(dockerfile: Dockerfile) -> set[str]:
    copied = set()
    for sources, _, from_stage in dockerfile.copies():
        if not from_stage:
            copied |= {dockerfile.expand(s).strip("/").split("/")[0] for s in sources}
    return copied


def check_commands(deployment: Deployment) -> list[str]:
    problems = []
    model = image_model_path(deployment.dockerfile)
    for component, role in roles().items():
        obj = deployment.deployments().get(component)
        if obj is None:
            continue
        container = containers_of(obj)[0]
        command = list(container.get("command", [])) + list(container.get("args", []))
        if command[:2] != ["python", "-m"] or len(command) < 3:
            problems.append(f"{component}: the command must be `python -m <module> ...`: {command}")
            continue
        module, arguments = command[2], command[3:]
        if (
            module != role.module
            or tuple(arguments[: len(role.arguments_first)]) != role.arguments_first
        ):
            problems.append(
                f"{component}: runs {module} {arguments}, "
                f"not {role.module} {list(role.arguments_first)}"
            )
        if _module_file(module) is None:
            problems.append(f"{component}: {module} is no module of this repository")
            continue
        namespace, error = parse_command(module, arguments)
        if namespace is None:
            problems.append(f"{component}: `python -m {module} {' '.join(arguments)}`: {error}")
            continue
        if component == "rasa":
            if namespace.model != model:
                problems.append(f"rasa: --model {namespace.model} is not the image's model {model}")
            if namespace.endpoints.split("/")[0] not in _copied_top_level(deployment.dockerfile):
                problems.append(f"rasa: {namespace.endpoints} is not copied into the image")
    return problems


def check_images(deployment: Deployment) -> list[str]:
    problems = []
    rules = deployment.rendered.kustomization.get("images", [])
    if len(rules) != 1:
        return ["kustomization.yaml: one image (deploy/Dockerfile) for every process"]
    rule = rules[0]
    expected = f"{rule.get('newName', rule['name'])}:{rule.get('newTag', '')}"
    if not str(rule.get("newTag", "")) or str(rule.get("newTag")) == "latest":
        problems.append(
            "kustomization.yaml: the image needs a fixed tag (a new model is a new tag)"
        )
    for component, obj in deployment.deployments().items():
        for container in containers_of(obj):
            if container["image"] != expected:
                problems.append(f"{component}: image {container['image']} is not {expected}")
    return problems


# --- security, resources, scaling -------------------------------------------------------


def check_security(deployment: Deployment) -> list[str]:
    problems = []
    environment = deployment.dockerfile.environment()
    writable = {"/tmp", environment.get("ASSISTANT_VAR_DIR"), environment.get("HOME")}
    for component, obj in deployment.deployments().items():
        spec = obj["spec"]["template"]["spec"]
        pod = spec.get("securityContext", {})
        if pod.get("runAsNonRoot") is not True or not pod.get("runAsUser"):
            problems.append(f"{component}: the pod must run as a non-root user")
        if pod.get("seccompProfile", {}).get("type") != "RuntimeDefault":
            problems.append(f"{component}: seccompProfile RuntimeDefault is required (restricted)")
        if spec.get("automountServiceAccountToken") is not False:
            problems.append(
                f"{component}: automountServiceAccountToken must be false (no Kubernetes API)"
            )
        if spec.get("enableServiceLinks") is not False:
            problems.append(
                f"{component}: enableServiceLinks must be false: the Service `rasa` would set "
                "RASA_PORT=tcp://... in every pod, which bot/settings.py reads as a port"
            )
        for flag in ("hostNetwork", "hostPID", "hostIPC"):
            if spec.get(flag):
                problems.append(f"{component}: {flag}")
        volumes = {v["name"]: v for v in spec.get("volumes", [])}
        for container in containers_of(obj):
            context = container.get("securityContext", {})
            if context.get("allowPrivilegeEscalation") is not False:
                problems.append(f"{component}: allowPrivilegeEscalation must be false")
            if context.get("privileged"):
                problems.append(f"{component}: privileged")
            if context.get("readOnlyRootFilesystem") is not True:
                problems.append(f"{component}: readOnlyRootFilesystem must be true")
            if context.get("capabilities", {}).get("drop") != ["ALL"]:
                problems.append(f"{component}: capabilities must drop ALL")
            mounted = {
                m["mountPath"]: volumes.get(m["name"], {})
                for m in container.get("volumeMounts", [])
            }
            for path in sorted(p for p in writable if p):
                volume = mounted.get(path)
                if volume is None or "emptyDir" not in volume:
                    problems.append(
                        f"{component}: {path} must be a writable emptyDir (read-only root)"
                    )
    return problems


def check_resources(deployment: Deployment) -> list[str]:
    problems = []
    for component, role in roles().items():
        obj = deployment.deployments().get(component)
        if obj is None:
            continue
        for container in containers_of(obj):
            resources = container.get("resources", {})
            requests, limits = resources.get("requests", {}), resources.get("limits", {})
            for kind in ("cpu", "memory"):
                if kind not in requests or kind not in limits:
                    problems.append(f"{component}: {kind} request and limit are required")
                elif _quantity(limits[kind]) < _quantity(requests[kind]):
                    problems.append(f"{component}: {kind} limit below its request")
            if "memory" in requests and _quantity(requests["memory"]) < role.resident_bytes:
                problems.append(
                    f"{component}: memory request {requests['memory']} is below what it uses "
                    f"(about {role.resident_bytes // 1_000_000} MB)"
                )
    return problems


def check_scaling(deployment: Deployment) -> list[str]:
    problems = []
    rasa = deployment.deployments().get("rasa")
    if rasa is None:
        return ["no Deployment for rasa"]
    name = rasa["metadata"]["name"]
    autoscalers = [
        h
        for h in deployment.rendered.of_kind("HorizontalPodAutoscaler")
        if h["spec"]["scaleTargetRef"]["kind"] == "Deployment"
        and h["spec"]["scaleTargetRef"]["name"] == name
    ]
    if len(autoscalers) != 1:
        problems.append("rasa: one HorizontalPodAutoscaler must scale it")
        minimum = 1
    else:
        minimum = autoscalers[0]["spec"].get("minReplicas", 1)
        if minimum < 2:
            problems.append("rasa: the autoscaler must keep at least 2 pods")
    if "replicas" in rasa["spec"]:
        problems.append("rasa: `replicas` fights the autoscaler at every apply; leave it out")
    budgets = [
        b
        for b in deployment.rendered.of_kind("PodDisruptionBudget")
        if _selects(_match_labels(b["spec"]["selector"]), _pod_labels(rasa))
    ]
    if len(budgets) != 1:
        problems.append("rasa: one PodDisruptionBudget must select its pods")
    elif budgets[0]["spec"].get("minAvailable", 0) >= minimum:
        problems.append("rasa: the PodDisruptionBudget would block every node drain")
    endpoints = yaml.safe_load((REPO / "endpoints.production.yml").read_text())
    redis_lock_stores = ("redis", "bot.ops.rasa_lock_store.AtomicRedisLockStore")
    if (endpoints.get("lock_store") or {}).get("type") not in redis_lock_stores:
        problems.append("endpoints.production.yml: several Rasa pods need the Redis lock store")
    if (endpoints.get("tracker_store") or {}).get("dialect") == "sqlite":
        problems.append("endpoints.production.yml: several Rasa pods need a shared tracker store")
    return problems


# --- network -----------------------------------------------------------------------------


def check_ingress(deployment: Deployment) -> list[str]:
    problems = []
    routes: dict[str, set[str]] = {}
    annotations_of: dict[str, dict[str, str]] = {}
    for ingress in deployment.rendered.of_kind("Ingress"):
        name = ingress["metadata"]["name"]
        annotations = ingress["metadata"].get("annotations", {})
        tls_hosts = {h for t in ingress["spec"].get("tls", []) for h in t.get("hosts", [])}
        for rule in ingress["spec"].get("rules", []):
            if rule.get("host") not in tls_hosts:
                problems.append(f"Ingress {name}: {rule.get('host')} is served without TLS")
            for path in rule.get("http", {}).get("paths", []):
                backend = path["backend"]["service"]
                service = deployment.rendered.named("Service", backend["name"])
                port = backend["port"].get("name", backend["port"].get("number"))
                if service is None or not any(
                    port in (p.get("name"), p["port"]) for p in service["spec"].get("ports", [])
                ):
                    problems.append(
                        f"Ingress {name}: {path['path']} goes to a missing {backend['name']}:{port}"
                    )
                routes.setdefault(backend["name"], set()).add(path["path"])
                annotations_of[backend["name"]] = annotations
    rasa_paths = routes.get("rasa", set())
    telegram = facts.constant_of("channels/telegram/config.py", "WEBHOOK_PATH")
    needed = {
        facts.socketio_path(): "socket.io",
        "/webhooks/webchat/widget.js": "the widget",
        telegram: "Telegram",
    }
    for wanted, what in needed.items():
        if not any(wanted == p or wanted.startswith(p.rstrip("/") + "/") for p in rasa_paths):
            problems.append(f"Ingress: {what} ({wanted}) does not reach rasa")
    for path in rasa_paths:
        if path in ("/", "") or path.startswith(
            ("/conversations", "/model", "/status", "/webhooks/rest")
        ):
            problems.append(f"Ingress: {path} exposes Rasa's HTTP API or the REST channel")
    annotations = annotations_of.get("rasa", {})
    if not (
        annotations.get("nginx.ingress.kubernetes.io/upstream-hash-by")
        or annotations.get("nginx.ingress.kubernetes.io/affinity") == "cookie"
    ):
        problems.append("Ingress to rasa: socket.io's polling needs session affinity")
    for backend in ("rasa", "console"):
        timeout = annotations_of.get(backend, {}).get(
            "nginx.ingress.kubernetes.io/proxy-read-timeout"
        )
        if not timeout or int(timeout) < 3600:
            problems.append(
                f"Ingress to {backend}: long-lived connections need proxy-read-timeout >= 3600"
            )
    if "console" not in routes:
        problems.append("Ingress: the console is not reachable")
    return problems


def check_network_policy(deployment: Deployment) -> list[str]:
    deployments = deployment.deployments()
    action, rasa = deployments.get("action-server"), deployments.get("rasa")
    if action is None or rasa is None:
        return ["no Deployment for action-server or rasa"]
    port = containers_of(action)[0]["ports"][0]["containerPort"]
    policies = [
        p
        for p in deployment.rendered.of_kind("NetworkPolicy")
        if _selects(_match_labels(p["spec"]["podSelector"]), _pod_labels(action))
    ]
    if not policies:
        return ["action-server: no NetworkPolicy selects it"]
    problems = []
    for policy in policies:
        name = policy["metadata"]["name"]
        if "Ingress" not in policy["spec"].get("policyTypes", ["Ingress"]):
            problems.append(f"NetworkPolicy {name}: not an Ingress policy")
        for rule in policy["spec"].get("ingress", []):
            peers = rule.get("from", [])
            if not peers:
                problems.append(f"NetworkPolicy {name}: a rule without `from` lets everyone in")
            for peer in peers:
                if set(peer) != {"podSelector"}:
                    problems.append(
                        f"NetworkPolicy {name}: only pods of this namespace may be peers"
                    )
                    continue
                labels = _match_labels(peer["podSelector"])
                allowed = [c for c, d in deployments.items() if _selects(labels, _pod_labels(d))]
                if allowed != ["rasa"]:
                    problems.append(
                        f"NetworkPolicy {name}: lets {allowed or 'no pod'} in; only rasa may"
                    )
            ports = [p.get("port") for p in rule.get("ports", [])]
            if ports != [port]:
                problems.append(f"NetworkPolicy {name}: ports {ports} must be [{port}]")
    return problems


# --- image recipe ------------------------------------------------------------------------

MUST_BE_IGNORED = (
    ".git/config",
    ".venv/bin/python",
    "var/rasa-api-token",
    "var/assistant.db",
    "models/reports/nl/report.json",
    "models/.fingerprint-assistant",
    "tests/unit/test_settings.py",
    "bot/__pycache__/settings.cpython-310.pyc",
    ".pytest_cache/v/cache/lastfailed",
    ".ruff_cache/CACHEDIR.TAG",
    ".hypothesis/examples/x",
    "README.md",
    "a-new-file-nobody-listed.txt",
)


def check_dockerfile(deployment: Deployment) -> list[str]:
    problems = []
    dockerfile = deployment.dockerfile
    bases = dockerfile.base_images()
    if len(bases) < 2:
        problems.append("deploy/Dockerfile: build and runtime stages (multi-stage)")
    for base in bases:
        if base.split("@")[0] != "python:3.10-slim":
            problems.append(f"deploy/Dockerfile: base image {base} is not python:3.10-slim")
    installs = [
        i.arguments
        for i in dockerfile.of("RUN")
        if "pip install" in i.arguments and "requirements.txt" in i.arguments
    ]
    if not any(re.search(r"-r \S*requirements\.txt\s+-c \S*constraints\.txt", i) for i in installs):
        problems.append("deploy/Dockerfile: install with -r requirements.txt -c constraints.txt")
    users = dockerfile.of("USER", dockerfile.final_stage)
    user = users[-1].arguments.split(":")[0] if users else "root"
    if not user.isdigit() or int(user) == 0:
        problems.append("deploy/Dockerfile: the image must end with a numeric non-root USER")
    secret_like = re.compile(r"SECRET|TOKEN|PASSWORD|_KEY$|CREDENTIAL")
    names = list(dockerfile.environment()) + list(dockerfile.arg_defaults)
    for name in names:
        if secret_like.search(name) or name in facts.secrets_read_by_code():
            problems.append(f"deploy/Dockerfile: {name} would bake a secret into the image")
    model = facts.model_file()
    for sources, _, from_stage in dockerfile.copies():
        if from_stage:
            continue
        for source in sources:
            expanded = dockerfile.expand(source).rstrip("/")
            if "MODEL" in source:
                if expanded != model:
                    problems.append(
                        f"deploy/Dockerfile: the model {expanded} is not what `make train` "
                        f"writes ({model})"
                    )
                if deployment.dockerignore.excluded(expanded):
                    problems.append(f".dockerignore: leaves out the model {expanded}")
                continue
            if not (REPO / expanded).exists():
                problems.append(
                    f"deploy/Dockerfile: COPY {expanded}: no such file in the repository"
                )
            elif deployment.dockerignore.excluded(expanded):
                problems.append(
                    f".dockerignore: leaves out {expanded}, which the Dockerfile copies"
                )
    copied = _copied_top_level(dockerfile)
    for package in sorted(facts.runtime_packages() | {"migrations", "alembic.ini", "data"}):
        if package not in copied:
            problems.append(f"deploy/Dockerfile: the servers need {package}, which is not copied")
    cmd = dockerfile.of("CMD", dockerfile.final_stage)
    if cmd:
        words = yaml.safe_load(cmd[-1].arguments)
        if words[:2] != ["python", "-m"] or _module_file(words[2]) is None:
            problems.append(f"deploy/Dockerfile: CMD {words} is no module of this repository")
    return problems


def check_dockerignore(deployment: Deployment) -> list[str]:
    problems = [
        f".dockerignore: {path} must stay out of the build context"
        for path in MUST_BE_IGNORED
        if not deployment.dockerignore.excluded(path)
    ]
    for sources, _, from_stage in deployment.dockerfile.copies():
        if from_stage:
            continue
        for source in sources:
            root = REPO / deployment.dockerfile.expand(source)
            if not root.is_dir():
                continue
            for path in sorted(root.rglob("*")):
                relative = path.relative_to(REPO).as_posix()
                if (
                    path.is_file()
                    and "__pycache__" not in path.parts
                    and path.suffix != ".pyc"
                    and deployment.dockerignore.excluded(relative)
                ):
                    problems.append(f".dockerignore: leaves out {relative}, which the image needs")
    return problems


KUBERNETES_CHECKS = (
    check_kustomization,
    check_environment_names,
    check_secrets,
    check_configuration,
    check_ports,
    check_probes,
    check_commands,
    check_images,
    check_security,
    check_resources,
    check_scaling,
    check_ingress,
    check_network_policy,
)
IMAGE_CHECKS = (check_dockerfile, check_dockerignore)

"""deploy/kubernetes/: valid Kubernetes objects that match what the code expects.

Offline: the manifests are rendered here (kustomize is not installed; tests/deploy/
rendering.py reads kustomization.yaml) and validated against the strict OpenAPI schemas
of Kubernetes 1.33 that the PyPI package kubernetes-validate bundles; no cluster, no
Docker. Every check is also run on a broken copy, to show that it can fail.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.deploy import checks
from tests.deploy.checks import KUBERNETES_CHECKS, REPO
from tests.deploy.rendering import KUBERNETES_VERSION


def test_every_object_is_valid_against_the_strict_kubernetes_schemas(deployment, validator):
    kinds = {(o["kind"], o["apiVersion"]) for o in deployment.rendered.objects}
    assert {("Deployment", "apps/v1"), ("HorizontalPodAutoscaler", "autoscaling/v2")} <= kinds
    assert checks.check_schemas(deployment, validator) == []


@pytest.mark.parametrize("check", KUBERNETES_CHECKS, ids=lambda check: check.__name__)
def test_the_manifests_match_the_code(deployment, check):
    assert check(deployment) == []


def test_the_schemas_come_from_the_pinned_kubernetes_validate():
    pins = dict(
        line.split("==")
        for line in (REPO / "constraints.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    )
    assert importlib.metadata.version("kubernetes-validate") == pins["kubernetes-validate"]
    assert pins["kubernetes-validate"].rsplit(".", 1)[0] == KUBERNETES_VERSION.rsplit(".", 1)[0]


def test_the_three_processes_share_one_image_and_run_their_own_module(deployment):
    commands = {
        component: containers[0]["command"][:4]
        for component, containers in (
            (c, checks.containers_of(d)) for c, d in deployment.deployments().items()
        )
    }
    assert commands == {
        "rasa": ["python", "-m", "bot.ops.rasa_server", "--model"],
        "action-server": ["python", "-m", "bot.ops.action_server"],
        "console": ["python", "-m", "bot.console", "serve"],
    }


BROKEN = [
    # (file, text, replaced by, check, what the check must say)
    (
        "deploy/kubernetes/configmap.yaml",
        "LOG_LEVEL: INFO",
        "LOG_LEVEL: INFO\n  DATABASE_URL: postgresql://x",
        checks.check_environment_names,
        "DATABASE_URL is read by no code",
    ),
    (
        "deploy/kubernetes/console.yaml",
        "key: RASA_API_TOKEN",
        "key: RASA_TOKEN",
        checks.check_secrets,
        "RASA_TOKEN, which secret.template.yaml does not have",
    ),
    (
        "deploy/kubernetes/secret.template.yaml",
        'RASA_API_TOKEN: ""',
        'RASA_API_TOKEN: "s3cr3t"',
        checks.check_secrets,
        "RASA_API_TOKEN has a value",
    ),
    (
        "deploy/kubernetes/secret.template.yaml",
        '  CONVERSATION_HASH_KEY: ""\n',
        "",
        checks.check_secrets,
        "reads the secret CONVERSATION_HASH_KEY",
    ),
    (
        "deploy/kubernetes/action-server.yaml",
        "            - name: CONVERSATION_HASH_KEY\n",
        "            - name: CONVERSATION_HASH\n",
        checks.check_configuration,
        "action-server: CONVERSATION_HASH_KEY is not set",
    ),
    (
        "deploy/kubernetes/kustomization.yaml",
        "  - ingress.yaml",
        "  - ingress.yaml\n  - secret.template.yaml",
        checks.check_kustomization,
        "would overwrite the real Secret",
    ),
    (
        "deploy/kubernetes/kustomization.yaml",
        "images:",
        "commonLabels:\n  team: x\nimages:",
        checks.check_kustomization,
        "'commonLabels' is not rendered",
    ),
    (
        "deploy/kubernetes/configmap.yaml",
        'RASA_PORT: "5005"',
        'RASA_PORT: "5050"',
        checks.check_ports,
        "RASA_PORT must be 5005",
    ),
    (
        "deploy/kubernetes/action-server.yaml",
        "containerPort: 5055",
        "containerPort: 8080",
        checks.check_ports,
        "action-server: containerPort [8080] must be [5055]",
    ),
    (
        "deploy/kubernetes/console.yaml",
        "      app.kubernetes.io/component: console\n  strategy:",
        "      app.kubernetes.io/component: consol\n  strategy:",
        checks.check_ports,
        "the Deployment's selector does not match its pods",
    ),
    (
        "deploy/kubernetes/configmap.yaml",
        "ACTION_SERVER_URL: http://action-server:5055",
        "ACTION_SERVER_URL: http://actions:5055",
        checks.check_configuration,
        "no Service named actions",
    ),
    (
        "deploy/kubernetes/configmap.yaml",
        "REDIS_HOST: redis",
        "REDIS_HOST: redis.cache.example.internal",
        checks.check_configuration,
        "REDIS_HOST must name an ExternalName Service",
    ),
    (
        "deploy/kubernetes/configmap.yaml",
        '  TRACKER_DB_PORT: "5432"\n',
        "",
        checks.check_configuration,
        "needs ${TRACKER_DB_PORT}",
    ),
    (
        "deploy/kubernetes/action-server.yaml",
        "path: /health",
        "path: /healthz",
        checks.check_probes,
        "startupProbe asks /healthz",
    ),
    (
        "deploy/kubernetes/rasa.yaml",
        "path: /",
        "path: /status",
        checks.check_probes,
        "startupProbe asks /status",
    ),
    (
        "deploy/kubernetes/rasa.yaml",
        '+ "/status",',
        '+ "/statuz",',
        checks.check_probes,
        "readinessProbe asks ['/statuz'], not a GET route of Rasa",
    ),
    (
        "deploy/kubernetes/rasa.yaml",
        'headers={"Authorization": "Bearer " + os.environ["RASA_API_TOKEN"]},',
        "headers={},",
        checks.check_probes,
        "readinessProbe asks /status without the API token",
    ),
    (
        "deploy/kubernetes/action-server.yaml",
        "- bot.ops.action_server",
        "- bot.ops.action_servr",
        checks.check_commands,
        "bot.ops.action_servr is no module of this repository",
    ),
    (
        "deploy/kubernetes/console.yaml",
        "- serve\n",
        "- serve\n            - --bind\n            - 0.0.0.0\n",
        checks.check_commands,
        "unrecognized arguments: --bind",
    ),
    (
        "deploy/kubernetes/rasa.yaml",
        "- /app/models/assistant.tar.gz",
        "- /models/assistant.tar.gz",
        checks.check_commands,
        "is not the image's model /app/models/assistant.tar.gz",
    ),
    (
        "deploy/kubernetes/kustomization.yaml",
        'newTag: "0.1.0"',
        "newTag: latest",
        checks.check_images,
        "needs a fixed tag",
    ),
    (
        "deploy/kubernetes/rasa.yaml",
        "readOnlyRootFilesystem: true",
        "readOnlyRootFilesystem: false",
        checks.check_security,
        "rasa: readOnlyRootFilesystem must be true",
    ),
    (
        "deploy/kubernetes/console.yaml",
        "      enableServiceLinks: false\n",
        "",
        checks.check_security,
        "enableServiceLinks must be false",
    ),
    (
        "deploy/kubernetes/rasa.yaml",
        "            - name: tmp\n              mountPath: /tmp\n",
        "",
        checks.check_security,
        "rasa: /tmp must be a writable emptyDir",
    ),
    (
        "deploy/kubernetes/rasa.yaml",
        "memory: 1792Mi",
        "memory: 512Mi",
        checks.check_resources,
        "rasa: memory request 512Mi is below what it uses",
    ),
    (
        "deploy/kubernetes/rasa.yaml",
        "  revisionHistoryLimit: 5",
        "  replicas: 2\n  revisionHistoryLimit: 5",
        checks.check_scaling,
        "fights the autoscaler",
    ),
    (
        "deploy/kubernetes/rasa.yaml",
        "  minReplicas: 2",
        "  minReplicas: 1",
        checks.check_scaling,
        "at least 2 pods",
    ),
    (
        "deploy/kubernetes/ingress.yaml",
        "path: /socket.io",
        "path: /socketio",
        checks.check_ingress,
        "socket.io (/socket.io) does not reach rasa",
    ),
    (
        "deploy/kubernetes/ingress.yaml",
        '    nginx.ingress.kubernetes.io/upstream-hash-by: "$remote_addr"\n',
        "",
        checks.check_ingress,
        "needs session affinity",
    ),
    (
        "deploy/kubernetes/ingress.yaml",
        "path: /webhooks/telegram",
        "path: /",
        checks.check_ingress,
        "exposes Rasa's HTTP API",
    ),
    (
        "deploy/kubernetes/action-server.yaml",
        "component: rasa\n      ports:",
        "component: console\n      ports:",
        checks.check_network_policy,
        "lets ['console'] in; only rasa may",
    ),
]


@pytest.mark.parametrize(
    ("relative", "old", "new", "check", "expected"),
    BROKEN,
    ids=[f"{case[3].__name__}:{case[4][:40]}" for case in BROKEN],
)
def test_each_check_finds_its_defect_in_a_broken_copy(
    broken_copy, relative, old, new, check, expected
):
    problems = check(broken_copy(relative, old, new))
    assert any(expected in problem for problem in problems), problems


def test_the_schema_check_finds_a_misspelt_and_a_mistyped_field(broken_copy, validator):
    broken = broken_copy(
        "deploy/kubernetes/rasa.yaml", "  revisionHistoryLimit: 5", "  revisionHistoryLimt: five"
    )
    problems = checks.check_schemas(broken, validator)
    assert any("'revisionHistoryLimt' was unexpected" in p for p in problems), problems
    broken = broken_copy(
        "deploy/kubernetes/console.yaml", "containerPort: 5006", 'containerPort: "5006"'
    )
    problems = checks.check_schemas(broken, validator)
    assert any("containerPort: '5006' is not of type 'integer'" in p for p in problems), problems


def test_the_rasa_readiness_script_sends_the_token_and_wants_a_loaded_model(deployment):
    """The exec probe run against a stand-in for Rasa's /status on this machine."""
    container = checks.containers_of(deployment.deployments()["rasa"])[0]
    script = container["readinessProbe"]["exec"]["command"][2]
    asked = []

    class Status(BaseHTTPRequestHandler):
        answer = (200, {"model_file": "assistant.tar.gz", "model_id": "x"})

        def do_GET(self):
            asked.append((self.path, self.headers.get("Authorization")))
            status, body = Status.answer
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Status)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    environment = {
        **os.environ,
        "RASA_PORT": str(server.server_port),
        "RASA_API_TOKEN": "probe-token",
    }

    def probe() -> int:
        command = [sys.executable, "-c", script]
        return subprocess.run(command, env=environment, capture_output=True, timeout=60).returncode

    try:
        assert probe() == 0
        assert asked == [("/status", "Bearer probe-token")]
        Status.answer = (409, {"status": "failure", "reason": "Conflict"})  # no model loaded
        assert probe() != 0
        Status.answer = (200, {"model_file": None})
        assert probe() != 0
    finally:
        server.shutdown()
        server.server_close()

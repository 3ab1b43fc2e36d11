"""The cluster's nginx configuration and environment (bot/ops/nginx.py, bot/ops/cluster.py),
checked by the real nginx (`nginx -t`) without starting anything."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from bot.ops.cluster import (
    PRODUCTION_ENDPOINTS,
    SECRET_NAMES,
    VALUE_SECRETS,
    ClusterPlan,
    database_url,
)
from bot.ops.nginx import NginxLayout, check_command, nginx_command, write_config
from tests.support import ensure_nginx

LAYOUT = NginxLayout(
    rasa_listen=18000,
    actions_listen=18055,
    console_listen=18006,
    rasa_ports=[15001, 15002],
    action_ports=[15051, 15052, 15053],
    console_ports=[15006],
)


def upstream(config: str, name: str) -> str:
    found = re.search(rf"upstream {name} {{(.*?)}}", config, re.S)
    assert found, f"no upstream {name}"
    return found.group(1)


def test_upstreams_sticky_for_socketio_round_robin_otherwise(tmp_path):
    config = write_config(LAYOUT, tmp_path).read_text()
    sticky = upstream(config, "rasa_sticky")
    assert "hash $remote_addr consistent;" in sticky
    assert sticky.count("server 127.0.0.1:") == 2
    for name, count in (("rasa", 2), ("actions", 3), ("console", 1)):
        servers = upstream(config, name)
        assert servers.count("server 127.0.0.1:") == count
        assert "hash" not in servers and "ip_hash" not in servers  # round-robin
    assert re.search(r"location /socket\.io/ \{\s*proxy_pass http://rasa_sticky;", config)
    assert "listen 127.0.0.1:18000;" in config and "listen 127.0.0.1:18055;" in config


def test_every_path_nginx_writes_is_under_its_prefix(tmp_path):
    config = write_config(LAYOUT, tmp_path).read_text()
    assert "daemon off;" in config
    paths = re.findall(r"^\s*(?:pid|error_log|access_log|\w+_temp_path) (\S+?)[ ;]", config, re.M)
    assert len(paths) == 8
    assert all(Path(path).is_relative_to(tmp_path) for path in paths), paths
    command = nginx_command(tmp_path, tmp_path / "nginx.conf")
    assert command[command.index("-e") + 1].startswith(str(tmp_path))


@pytest.fixture(scope="module")
def nginx() -> str:
    return ensure_nginx()


def test_nginx_accepts_the_configuration(nginx, tmp_path):
    config = write_config(LAYOUT, tmp_path)
    checked = subprocess.run(
        check_command(tmp_path, config, nginx), capture_output=True, text=True, timeout=30
    )
    assert checked.returncode == 0, checked.stderr


def test_an_upstream_without_servers_is_refused(tmp_path):
    with pytest.raises(ValueError, match="at least one server"):
        write_config(NginxLayout(1, 2, 3, [], [4], [5]), tmp_path)


def plan(tmp_path: Path, **changes) -> ClusterPlan:
    admin = "postgresql://postgres@127.0.0.1:5432/postgres"
    values = {
        "root": tmp_path,
        "model": tmp_path / "model.tar.gz",
        "rasa_ports": [15001, 15002],
        "action_ports": [15051],
        "console_port": 15006,
        "rasa_listen": 18000,
        "actions_listen": 18055,
        "console_listen": 18006,
        "database_url": database_url(admin, "jobseeker"),
        "tracker_database_url": database_url(admin, "jobseeker_tracker"),
        "sandbox_port": 18088,
        **changes,
    }
    return ClusterPlan(**values)


def test_the_environment_is_production_with_files_for_secrets(tmp_path, monkeypatch):
    for name in SECRET_NAMES:
        monkeypatch.delenv(name, raising=False)
    cluster_plan = plan(tmp_path)
    cluster_plan.make_secrets()
    env = cluster_plan.environment()
    assert env["ASSISTANT_ENV"] == "production"
    assert env["ACTION_SERVER_URL"] == "http://127.0.0.1:18055"  # nginx, round-robin
    assert env["RASA_URL"] == "http://127.0.0.1:18000"
    assert env["ASSISTANT_DATABASE_URL"].endswith("/jobseeker")
    assert (env["TRACKER_DB_NAME"], env["TRACKER_DB_PORT"]) == ("jobseeker_tracker", "5432")
    assert (env["REDIS_HOST"], env["REDIS_PORT"]) == ("127.0.0.1", "6379")
    # The sandbox on this machine: allowed by the switch production checks.
    assert env["AGENCY_API_URL"] == "http://127.0.0.1:18088"
    assert env["ALLOW_LOCAL_AGENCY_SANDBOX"] == "1"
    for name in SECRET_NAMES:
        secret_file = cluster_plan.secrets_dir / name.lower()
        assert secret_file.stat().st_mode & 0o777 == 0o600
        assert cluster_plan.secret(name) == secret_file.read_text().strip()
        if name in VALUE_SECRETS:  # endpoints.production.yml reads it from the environment
            assert env[name] == cluster_plan.secret(name) and f"{name}_FILE" not in env
        else:
            assert env[f"{name}_FILE"] == str(secret_file) and name not in env


def test_rasa_reads_every_variable_of_the_production_endpoints(tmp_path, monkeypatch):
    """endpoints.production.yml as Rasa reads it, with the cluster's environment: every
    ${VARIABLE} replaced (a quoted "${X}" would reach Rasa as is)."""
    from rasa.shared.utils.io import read_config_file

    for name in SECRET_NAMES:
        monkeypatch.delenv(name, raising=False)
    cluster_plan = plan(tmp_path)
    cluster_plan.make_secrets()
    for name, value in cluster_plan.environment().items():
        monkeypatch.setenv(name, value)
    endpoints = read_config_file(str(PRODUCTION_ENDPOINTS))
    assert "$" not in json.dumps(endpoints)
    secret = cluster_plan.secret("ACTION_SERVER_SECRET")
    assert endpoints["action_endpoint"] == {
        "url": "http://127.0.0.1:18055/webhook",
        "headers": {"Authorization": f"Bearer {secret}"},
    }
    tracker = endpoints["tracker_store"]
    assert (tracker["url"], tracker["port"], tracker["db"]) == (
        "127.0.0.1",
        "5432",
        "jobseeker_tracker",
    )
    assert (endpoints["lock_store"]["url"], endpoints["lock_store"]["port"]) == (
        "127.0.0.1",
        "6379",
    )


def test_a_remote_agency_gets_no_sandbox_switch(tmp_path):
    remote = plan(tmp_path, sandbox_port=None, agency_api_url="https://api.vdab.be")
    remote.make_secrets()
    env = remote.environment()
    assert env["AGENCY_API_URL"] == "https://api.vdab.be"
    assert "ALLOW_LOCAL_AGENCY_SANDBOX" not in env

"""`python -m bot.ops.cluster --rasa 2 --actions 2`: production wiring on one machine.

N Rasa servers and M action servers behind nginx, on the real PostgreSQL and Redis, with
`ASSISTANT_ENV=production` and `endpoints.production.yml`: what a deployment runs, on a
laptop or in CI, so that it can be tried and tested (tests/production/).

What it does, in order:
1. creates the PostgreSQL databases when missing (`jobseeker` for the project's tables,
   `jobseeker_tracker` for Rasa's tracker store) and migrates once (every action server
   and console migrates again on start: the advisory lock of bot/migrations.py makes
   that a wait, then nothing to do);
2. makes the secrets production requires, once, in `var/cluster/secrets/` (0600 files,
   given to the processes as `<NAME>_FILE`, but ACTION_SERVER_SECRET by value: Rasa
   reads endpoints.production.yml's variables from the environment only; a secret set
   in the environment is kept);
3. starts the agency sandbox when the agency is the local sandbox (`AGENCY_API_URL`
   unset: the sandbox on a free port, with `ALLOW_LOCAL_AGENCY_SANDBOX=1`, which
   production refuses with a remote agency), the action servers, the Rasa servers, the
   console, and nginx (bot/ops/nginx.py) in front of them, each on its own port;
4. prints the addresses, and waits. Ctrl-C or SIGTERM stops everything, in an order that
   lets in-flight turns complete: Rasa servers and console first (while the action
   servers still answer them), then nginx, the action servers, the sandbox.

Logs: `var/cluster/logs/<process>.log`; nginx's in `var/cluster/nginx/logs/`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import signal
import socket
import subprocess  # nosec B404  # our own commands with fixed arguments, without a shell
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.db import make_engine, make_session_factory
from bot.migrations import upgrade_database
from bot.network import is_loopback
from bot.ops.local_setup import demo_counsellor
from bot.ops.nginx import NginxLayout, check_command, nginx_command, write_config
from bot.ops.processes import (
    ProcessGroup,
    action_server_command,
    console_command,
    rasa_server_command,
    sandbox_command,
    train_model,
    wait_for_http,
)
from bot.secret_values import write_private
from bot.settings import PROJECT_ROOT

DEFAULT_POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_DATABASE = "jobseeker"
PRODUCTION_ENDPOINTS = PROJECT_ROOT / "endpoints.production.yml"
MODELS_DIR = PROJECT_ROOT / "models"
MODEL_NAME = "assistant"
ENSURE_NGINX = PROJECT_ROOT / "scripts" / "ensure_nginx.sh"
# What production refuses to make up (bot/secret_values.py); the cluster makes them once.
SECRET_NAMES = (
    "RASA_API_TOKEN",
    "ACTION_SERVER_SECRET",
    "WEBCHAT_SESSION_SECRET",
    "CONVERSATION_HASH_KEY",
    "REST_CHANNEL_TOKEN",
    "AGENCY_CLIENT_SECRET",
)
# Rasa reads endpoints.production.yml's ${VARIABLES} from the environment only (no _FILE).
VALUE_SECRETS = ("ACTION_SERVER_SECRET",)
# Stopped in this order: a tier is gone before the one it calls is stopped.
STOP_ORDER = ("rasa", "console", "nginx", "actions", "sandbox")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(admin_url: str, name: str) -> str:
    """The URL of database `name` on the server of `admin_url`."""
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def ensure_database(admin_url: str, name: str) -> bool:
    """Create database `name` when it does not exist; True when it was created."""
    if not name.replace("_", "").isalnum():
        raise ValueError(f"database names are letters, digits and _: {name!r}")
    engine = create_engine(admin_url, future=True, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).scalar()
            if exists:
                return False
            # `name` is checked above: letters, digits and _ only.
            connection.execute(text(f'CREATE DATABASE "{name}"'))
            return True
    finally:
        engine.dispose()


@dataclass
class ClusterPlan:
    """Everything decided before anything starts: ports, URLs, environment."""

    root: Path  # var/cluster: secrets, logs, nginx
    model: Path
    rasa_ports: list[int]
    action_ports: list[int]
    console_port: int
    rasa_listen: int
    actions_listen: int
    console_listen: int
    database_url: str
    tracker_database_url: str
    redis_host: str = "127.0.0.1"
    redis_port: int = 6379
    redis_url: str = ""  # "": built by bot/settings.py from REDIS_HOST/REDIS_PORT
    redis_key_prefix: str = "jobseeker:"
    sandbox_port: int | None = None  # None: a remote agency (AGENCY_API_URL)
    agency_api_url: str = ""
    listen_host: str = "127.0.0.1"
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def rasa_url(self) -> str:
        """The address citizens, integrations and the console use (nginx)."""
        return f"http://{self.listen_host}:{self.rasa_listen}"

    @property
    def actions_url(self) -> str:
        return f"http://{self.listen_host}:{self.actions_listen}"

    @property
    def console_url(self) -> str:
        return f"http://{self.listen_host}:{self.console_listen}"

    def rasa_instance_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.rasa_ports[index]}"

    def action_instance_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.action_ports[index]}"

    @property
    def sandbox_url(self) -> str | None:
        return f"http://127.0.0.1:{self.sandbox_port}" if self.sandbox_port else None

    @property
    def secrets_dir(self) -> Path:
        return self.root / "secrets"

    def secret(self, name: str) -> str:
        """A secret as the processes read it (environment first, then the cluster's file)."""
        return os.environ.get(name) or (self.secrets_dir / name.lower()).read_text().strip()

    def make_secrets(self) -> None:
        for name in SECRET_NAMES:
            path = self.secrets_dir / name.lower()
            if not os.environ.get(name) and not path.exists():
                write_private(path, secrets.token_urlsafe(32) + "\n")

    def environment(self) -> dict[str, str]:
        """What every process of the cluster gets (on top of the caller's environment)."""
        tracker = make_url(self.tracker_database_url)
        origins = {
            f"http://{host}:{port}"
            for host in ("127.0.0.1", "localhost", self.listen_host)
            for port in (self.rasa_listen, self.console_listen)
        }
        env = {
            "ASSISTANT_ENV": "production",
            "ASSISTANT_VAR_DIR": str(self.root),
            "PYTHONPATH": str(PROJECT_ROOT),
            "ASSISTANT_DATABASE_URL": self.database_url,
            # endpoints.production.yml's tracker store, and retention's view of it.
            "TRACKER_DB_HOST": tracker.host or "127.0.0.1",
            "TRACKER_DB_PORT": str(tracker.port or 5432),
            "TRACKER_DB_NAME": tracker.database or "",
            "TRACKER_DB_USER": tracker.username or "",
            "TRACKER_DB_PASSWORD": tracker.password or "",
            "TRACKER_DATABASE_URL": self.tracker_database_url,
            # endpoints.production.yml's lock store (database 1) and the channels' Redis.
            "REDIS_HOST": self.redis_host,
            "REDIS_PORT": str(self.redis_port),
            "REDIS_KEY_PREFIX": self.redis_key_prefix,
            "ACTION_SERVER_URL": self.actions_url,
            "RASA_URL": self.rasa_url,
            "ALLOWED_ORIGINS": ",".join(sorted(origins)),
            # The REST channel, behind its token (production's rule), for curl and tests.
            "REST_CHANNEL": "on",
            # Plain http on this machine; behind TLS a deployment sets 1.
            "CONSOLE_SECURE_COOKIES": "0",
        }
        if self.redis_url:
            env["REDIS_URL"] = self.redis_url
        if self.sandbox_port:
            env["AGENCY_API_URL"] = self.sandbox_url or ""
            env["AGENCY_SANDBOX_PORT"] = str(self.sandbox_port)
            env["AGENCY_SANDBOX_DATABASE_URL"] = f"sqlite:///{self.root / 'agency_sandbox.db'}"
            env["ALLOW_LOCAL_AGENCY_SANDBOX"] = "1"
        elif self.agency_api_url:
            env["AGENCY_API_URL"] = self.agency_api_url
        for name in SECRET_NAMES:
            if os.environ.get(name):
                continue
            if name in VALUE_SECRETS:
                env[name] = self.secret(name)
            else:
                env[f"{name}_FILE"] = str(self.secrets_dir / name.lower())
        env.update(self.extra_env)
        return env

    def nginx_layout(self) -> NginxLayout:
        return NginxLayout(
            rasa_listen=self.rasa_listen,
            actions_listen=self.actions_listen,
            console_listen=self.console_listen,
            rasa_ports=self.rasa_ports,
            action_ports=self.action_ports,
            console_ports=[self.console_port],
            listen_host=self.listen_host,
        )


@dataclass
class Cluster:
    """The running processes of a plan, started and stopped together (by tier)."""

    plan: ClusterPlan
    groups: dict[str, ProcessGroup] = field(default_factory=dict)
    commands: dict[str, tuple[str, list[str], dict[str, str]]] = field(default_factory=dict)
    health: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)

    @property
    def log_dir(self) -> Path:
        return self.plan.root / "logs"

    def api_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.plan.secret('RASA_API_TOKEN')}"}

    # -- starting -----------------------------------------------------------------

    def prepare(self, admin_url: str | None = None) -> None:
        """Databases (when `admin_url` is given), migrations, secrets, nginx's config."""
        self.plan.root.mkdir(parents=True, exist_ok=True)
        if admin_url:
            for url in (self.plan.database_url, self.plan.tracker_database_url):
                if ensure_database(admin_url, make_url(url).database or ""):
                    print(f"==> Created the database {make_url(url).database}")
        upgrade_database(self.plan.database_url)
        self.plan.make_secrets()
        prefix = self.plan.root / "nginx"
        config = write_config(self.plan.nginx_layout(), prefix)
        checked = subprocess.run(  # nosec B603  # fixed arguments, no shell
            check_command(prefix, config), capture_output=True, text=True, check=False
        )
        if checked.returncode != 0:
            raise RuntimeError(f"nginx refuses {config}:\n{checked.stderr.strip()}")

    def start(self) -> None:
        """Every process, each waited for; on failure everything started is stopped."""
        try:
            self.launch()
            self.wait_all()
        except BaseException:
            self.stop()
            self.print_logs()
            raise

    def launch(self) -> None:
        """Start every process of the plan at once (they take their time in parallel)."""
        plan = self.plan
        env = plan.environment()
        if plan.sandbox_port:
            self.add(
                "sandbox",
                "sandbox",
                sandbox_command(),
                env,
                (f"{plan.sandbox_url}/_sandbox/health", {}),
            )
        for index, port in enumerate(plan.action_ports, start=1):
            self.add(
                "actions",
                f"actions-{index}",
                action_server_command(port),
                env,
                (f"http://127.0.0.1:{port}/health", {}),
            )
        for index, port in enumerate(plan.rasa_ports, start=1):
            self.add(
                "rasa",
                f"rasa-{index}",
                rasa_server_command(plan.model, port, PRODUCTION_ENDPOINTS),
                env,
                (f"http://127.0.0.1:{port}/status", self.api_headers()),
            )
        # The console calls Rasa only when a counsellor acts: it may start meanwhile.
        self.add(
            "console",
            "console",
            console_command(),
            {**env, "CONSOLE_PORT": str(plan.console_port)},
            (f"http://127.0.0.1:{plan.console_port}/health", {}),
        )
        prefix = plan.root / "nginx"
        # Ready when Rasa's greeting comes through the balancer.
        self.add(
            "nginx",
            "nginx",
            nginx_command(prefix, prefix / "nginx.conf"),
            env,
            (plan.rasa_url + "/", {}),
        )

    def add(
        self,
        tier: str,
        name: str,
        command: list[str],
        env: dict[str, str],
        health: tuple[str, dict[str, str]],
    ) -> None:
        """Start one process in `tier` (see STOP_ORDER); `health` is where it says it is
        ready (a URL answering 2xx, and the headers to send)."""
        group = self.groups.setdefault(tier, ProcessGroup(self.log_dir))
        self.commands[name] = (tier, command, env)
        self.health[name] = health
        group.start(name, command, env)

    def wait_all(self) -> None:
        """Wait for every process, tier by tier (those that others call first)."""
        for tier in ("sandbox", "actions", "rasa", "console", "nginx"):
            for name, (process_tier, _command, _env) in self.commands.items():
                if process_tier == tier:
                    self.wait(name)

    def wait(self, name: str, timeout: float | None = None) -> None:
        tier = self.commands[name][0]
        url, headers = self.health[name]
        limit = timeout or (300 if tier == "rasa" else 90)
        wait_for_http(url, self.groups[tier], timeout=limit, headers=headers)

    # -- one process at a time (tests: kill, stop, restart) -----------------------

    def process(self, name: str) -> subprocess.Popen:
        return self.groups[self.commands[name][0]].processes[name]

    def kill(self, name: str, signum: int = signal.SIGKILL, timeout: float = 60) -> int:
        """Send `signum` to process `name` (its whole process group) and wait for it to
        end; it is then out of the cluster until `restart`. Returns its exit code."""
        tier = self.commands[name][0]
        process = self.groups[tier].processes.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signum)
        try:
            return process.wait(timeout=timeout)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # whatever it started
            process.wait()

    def restart(self, name: str, wait: bool = True) -> None:
        """Start process `name` again with its command and environment."""
        tier, command, env = self.commands[name]
        self.groups[tier].start(name, command, env)
        if wait:
            self.wait(name)

    def check_alive(self) -> None:
        for group in self.groups.values():
            group.check_alive()

    # -- stopping -----------------------------------------------------------------

    def stop(self, timeout: float = 20) -> None:
        """Tier by tier (STOP_ORDER): each gets SIGTERM and `timeout` seconds to finish
        what it is doing (Sanic finishes in-flight requests), then SIGKILL."""
        for tier in STOP_ORDER:
            group = self.groups.pop(tier, None)
            if group is not None:
                group.stop(timeout=timeout)

    def print_logs(self, lines: int = 40) -> None:
        for log in sorted(self.log_dir.glob("*.log")):
            tail = log.read_text(errors="replace").splitlines()[-lines:]
            sys.stderr.write(f"--- {log.name} ---\n" + "\n".join(tail) + "\n")


# -- the command ---------------------------------------------------------------------


def ensure_nginx() -> None:
    result = subprocess.run(  # nosec B603 B607  # our own script, fixed arguments
        ["bash", str(ENSURE_NGINX)], check=False
    )
    if result.returncode != 0:
        raise SystemExit(1)


def plan_from_args(args: argparse.Namespace, environ: dict[str, str]) -> ClusterPlan:
    admin = args.postgres_url
    agency = environ.get("AGENCY_API_URL", "").rstrip("/")
    sandbox_port: int | None = None
    if not agency:
        sandbox_port = int(environ.get("AGENCY_SANDBOX_PORT") or free_port())
    elif is_loopback(urlsplit(agency).hostname or ""):
        sandbox_port = urlsplit(agency).port
    model = Path(args.model) if args.model else train_model(MODELS_DIR, MODEL_NAME)
    return ClusterPlan(
        root=Path(args.var_dir),
        model=model,
        rasa_ports=[free_port() for _ in range(args.rasa)],
        action_ports=[free_port() for _ in range(args.actions)],
        console_port=free_port(),
        rasa_listen=args.port,
        actions_listen=args.actions_port,
        console_listen=args.console_port,
        database_url=database_url(admin, args.database),
        tracker_database_url=database_url(admin, f"{args.database}_tracker"),
        redis_host=environ.get("REDIS_HOST", "127.0.0.1"),
        redis_port=int(environ.get("REDIS_PORT", "6379")),
        redis_url=environ.get("REDIS_URL", ""),
        redis_key_prefix=environ.get("REDIS_KEY_PREFIX", "jobseeker:"),
        sandbox_port=sandbox_port,
        agency_api_url=agency,
    )


def check_telegram(environ: dict[str, str], rasa_servers: int) -> None:
    """Several Rasa servers cannot all long-poll one bot (Telegram answers 409)."""
    polling = environ.get("TELEGRAM_BOT_TOKEN") and not environ.get("TELEGRAM_PUBLIC_URL")
    if polling and rasa_servers > 1:
        raise SystemExit(
            "Telegram long polling works with one Rasa server only: set TELEGRAM_PUBLIC_URL "
            "(webhook mode, through nginx) or unset TELEGRAM_BOT_TOKEN."
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bot.ops.cluster",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--rasa", type=int, default=2, help="Rasa servers (default 2)")
    parser.add_argument("--actions", type=int, default=2, help="action servers (default 2)")
    parser.add_argument("--port", type=int, default=8000, help="nginx: Rasa (default 8000)")
    parser.add_argument("--actions-port", type=int, default=8055, help="nginx: action servers")
    parser.add_argument("--console-port", type=int, default=8006, help="nginx: the console")
    parser.add_argument("--model", default=None, help="default: models/assistant.tar.gz")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("CLUSTER_POSTGRES_URL", DEFAULT_POSTGRES_ADMIN_URL),
        help="a PostgreSQL URL allowed to create databases",
    )
    parser.add_argument("--database", default=DEFAULT_DATABASE, help="and <name>_tracker")
    parser.add_argument("--var-dir", default=str(PROJECT_ROOT / "var" / "cluster"))
    args = parser.parse_args(argv)
    if args.rasa < 1 or args.actions < 1:
        parser.error("--rasa and --actions need at least 1")
    environ = dict(os.environ)
    check_telegram(environ, args.rasa)
    ensure_nginx()
    plan = plan_from_args(args, environ)
    cluster = Cluster(plan)
    stop_requested = False

    def _stop(*_: object) -> None:
        nonlocal stop_requested
        stop_requested = True

    signal.signal(signal.SIGTERM, _stop)
    try:
        cluster.prepare(args.postgres_url)
        print(f"==> Starting {args.rasa} Rasa and {args.actions} action servers (a minute or two)")
        login = demo_counsellor(make_session_factory(make_engine(plan.database_url)), plan.root)
        cluster.start()
        print_addresses(cluster, login)
        while not stop_requested:
            cluster.check_alive()
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        print("==> Stopping")
        cluster.stop()


def print_addresses(cluster: Cluster, login: tuple[str, str | None] | None = None) -> None:
    plan = cluster.plan
    instances = [f"rasa-{i + 1}  {plan.rasa_instance_url(i)}" for i in range(len(plan.rasa_ports))]
    instances += [
        f"actions-{i + 1}  {plan.action_instance_url(i)}" for i in range(len(plan.action_ports))
    ]
    instances.append(f"console  http://127.0.0.1:{plan.console_port}")
    if plan.sandbox_url:
        instances.append(f"agency sandbox  {plan.sandbox_url}")
    database = make_url(plan.database_url).render_as_string(hide_password=True)
    tracker = make_url(plan.tracker_database_url).render_as_string(hide_password=True)
    token_file = plan.secrets_dir / "rest_channel_token"
    user, password = login or ("", None)
    account = f"log in as {user} / {password}" if password else "accounts: see README"
    listed = "\n".join(f"    {line}" for line in instances)
    print(
        f"""
The cluster is running (ASSISTANT_ENV=production, endpoints.production.yml).

  Through nginx:
    Web chat:  {plan.rasa_url}/webhooks/webchat/  (socket.io: sticky per client address)
    Rasa:      {plan.rasa_url}  (REST, Telegram webhook, HTTP API: round-robin)
    Actions:   {plan.actions_url}  (Rasa's ACTION_SERVER_URL: round-robin)
    Console:   {plan.console_url}/  ({account})
  Instances:
{listed}
  PostgreSQL:  {database}, tracker store {tracker}
  Redis:       {plan.redis_host}:{plan.redis_port}, lock store db 1, channels' keys
               {plan.redis_key_prefix}*

  REST:  curl -s {plan.rasa_url}/webhooks/rest/webhook \\
           -H "Authorization: Bearer $(cat {token_file})" \\
           -d '{{"sender":"me","message":"hallo"}}'
  Logs:  {cluster.log_dir}, nginx: {plan.root / "nginx" / "logs"}

Press Ctrl-C to stop.
"""
    )


if __name__ == "__main__":
    main()

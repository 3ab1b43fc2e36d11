"""The nginx in front of a cluster on one machine (bot/ops/cluster.py): its configuration,
and the command that runs it as a child process.

Three listeners, each with its upstream:

- **Rasa** (the address citizens and integrations use): socket.io (`/socket.io/`) goes to
  `rasa_sticky`, where a client always reaches the same Rasa server (`hash $remote_addr
  consistent`, nginx's open-source stickiness: a socket.io session lives in one server's
  memory, and its long-polling requests must all reach it); everything else (the REST
  and Telegram webhooks, the widget's files, Rasa's HTTP API) goes round-robin to
  `rasa`, which is safe because the Redis lock store serialises each conversation
  whichever server takes it. A server that refuses the connection (stopped, killed) is
  skipped: the request goes to the next one.
- **Actions**: round-robin over the action servers (Rasa's `ACTION_SERVER_URL`).
- **Console**: the counsellors' console.

nginx runs in the foreground (`daemon off`) with its own prefix, pid file, logs and
temporary folders under the cluster's folder: the system's nginx configuration and
service are never used.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

NGINX = os.environ.get("NGINX", "/usr/sbin/nginx")

# Seconds: Rasa may take a while over one turn (actions, the agency); socket.io's
# long-polling holds a request for up to 25 s (its ping interval).
PROXY_READ_TIMEOUT = 120
# Rasa's calls to the action server carry the conversation's whole tracker.
MAX_BODY = "16m"
TEMP_DIRS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


@dataclass(frozen=True)
class NginxLayout:
    """Where the cluster's nginx listens and whom it passes requests to (ports on
    `host`, the loopback address unless told otherwise)."""

    rasa_listen: int
    actions_listen: int
    console_listen: int
    rasa_ports: Sequence[int]
    action_ports: Sequence[int]
    console_ports: Sequence[int]
    listen_host: str = "127.0.0.1"
    upstream_host: str = "127.0.0.1"


def _servers(host: str, ports: Sequence[int]) -> str:
    if not ports:
        raise ValueError("an upstream needs at least one server")
    # max_fails=0: a refused connection skips the server for this request only, so a
    # restarted server is used again at once.
    return "\n".join(f"        server {host}:{port} max_fails=0;" for port in ports)


def _listen(host: str, port: int) -> str:
    address = f"[{host}]" if ":" in host else host
    return f"{address}:{port}"


def render_config(layout: NginxLayout, prefix: Path) -> str:
    """nginx.conf for `layout`; every path nginx writes is under `prefix`."""
    logs = prefix / "logs"
    temp = prefix / "temp"
    temp_paths = "\n".join(f"    {name}_temp_path {temp / name};" for name in TEMP_DIRS)
    up = layout.upstream_host
    return f"""# Written by bot/ops/cluster.py (bot/ops/nginx.py); rewritten at every start.
daemon off;
master_process on;
worker_processes 1;
pid {prefix / "nginx.pid"};
error_log {logs / "error.log"} warn;

events {{
    worker_connections 1024;
}}

http {{
    # Which server answered each request: $upstream_addr (several when one was skipped).
    log_format cluster '$remote_addr [$time_local] "$request" $status '
                       'upstream=$upstream_addr time=$request_time';
    access_log {logs / "access.log"} cluster;
{temp_paths}
    server_tokens off;
    # Nothing on disk: a request body up to this size stays in memory (Rasa sends the
    # whole tracker to the action server), larger ones are refused (413); answers are
    # passed on as they come. So nginx's workers (`nobody` when started as root) never
    # need to write under the prefix.
    client_max_body_size {MAX_BODY};
    client_body_buffer_size {MAX_BODY};
    proxy_max_temp_file_size 0;

    # WebSocket upgrades for socket.io; plain keep-alive otherwise.
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ""      "";
    }}

    upstream rasa {{
{_servers(up, layout.rasa_ports)}
    }}

    upstream rasa_sticky {{
        hash $remote_addr consistent;
{_servers(up, layout.rasa_ports)}
    }}

    upstream actions {{
{_servers(up, layout.action_ports)}
    }}

    upstream console {{
{_servers(up, layout.console_ports)}
    }}

    proxy_http_version 1.1;
    proxy_set_header Host $http_host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $scheme;
    proxy_set_header X-Forwarded-Host $http_host;
    proxy_read_timeout {PROXY_READ_TIMEOUT}s;
    proxy_send_timeout {PROXY_READ_TIMEOUT}s;
    proxy_connect_timeout 2s;
    # A server that is down or refuses the connection: try the next one. A request
    # already sent is never sent twice (nginx does not resend a POST after that).
    proxy_next_upstream error timeout;
    proxy_next_upstream_tries 0;

    server {{
        listen {_listen(layout.listen_host, layout.rasa_listen)};

        location /socket.io/ {{
            proxy_pass http://rasa_sticky;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_buffering off;
        }}

        location / {{
            proxy_pass http://rasa;
            proxy_set_header Connection "";
        }}
    }}

    server {{
        listen {_listen(layout.listen_host, layout.actions_listen)};

        location / {{
            proxy_pass http://actions;
            proxy_set_header Connection "";
        }}
    }}

    server {{
        listen {_listen(layout.listen_host, layout.console_listen)};

        location / {{
            proxy_pass http://console;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_buffering off;
        }}
    }}
}}
"""


def write_config(layout: NginxLayout, prefix: Path) -> Path:
    """Write nginx.conf under `prefix` (and the folders nginx needs); returns its path."""
    for folder in (prefix / "logs", *(prefix / "temp" / name for name in TEMP_DIRS)):
        folder.mkdir(parents=True, exist_ok=True)
    config = prefix / "nginx.conf"
    config.write_text(render_config(layout, prefix))
    return config


def nginx_command(prefix: Path, config: Path, nginx: str = NGINX) -> list[str]:
    """nginx in the foreground with `config`; `-e` keeps even its first log lines (before
    it has read the configuration) out of the system's /var/log/nginx."""
    return [nginx, "-p", str(prefix), "-c", str(config), "-e", str(prefix / "logs" / "error.log")]


def check_command(prefix: Path, config: Path, nginx: str = NGINX) -> list[str]:
    """`nginx -t` for `config`: checks it without starting anything."""
    return [*nginx_command(prefix, config, nginx), "-t", "-q"]

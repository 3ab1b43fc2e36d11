"""The web widget channel: serves the widget's files and a demo page under /webhooks/webchat/.

The widget itself talks to Rasa's built-in socket.io channel (`socketio:` in credentials.yml);
this channel delivers the static files an agency's page loads (and, at start-up, repairs
that channel's session persistence: see socketio_session.py):

    /webhooks/webchat/            the demo page (index.html)
    /webhooks/webchat/widget.js   the widget (one script tag on any page)
    /webhooks/webchat/widget.css  its style sheet (loaded by widget.js)
    /webhooks/webchat/vendor/...  the vendored socket.io client and its licence

Only files that exist in `static/` when the server starts are served: a request path is
looked up in that fixed table and never joined to a directory, so `..`, encoded slashes or
absolute paths cannot reach anything else.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.webchat.socketio_session import repair_session_request

STATIC_DIR = Path(__file__).resolve().parent / "static"
INDEX = "index.html"

CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
    "": "text/plain; charset=utf-8",  # LICENSE
}

# The demo page is always revalidated; the widget is cached briefly so that a new version
# reaches citizens within minutes; vendored files live in a versioned folder and never change.
CACHE_PAGE = "no-cache"
CACHE_WIDGET = "public, max-age=300, must-revalidate"
CACHE_VENDOR = "public, max-age=31536000, immutable"

# The demo page loads only its own origin's files and talks only to its own origin.
DEMO_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'; "
    "object-src 'none'"
)


@dataclass(frozen=True)
class StaticFile:
    path: Path
    content_type: str
    cache_control: str


def cache_control_for(relative: str) -> str:
    if relative == INDEX:
        return CACHE_PAGE
    if relative.startswith("vendor/"):
        return CACHE_VENDOR
    return CACHE_WIDGET


def static_files(root: Path = STATIC_DIR) -> dict[str, StaticFile]:
    """Every servable file under `root`, keyed by its URL path relative to the channel."""
    table: dict[str, StaticFile] = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        relative = PurePosixPath(*path.relative_to(root).parts)
        if any(part.startswith(".") for part in relative.parts):
            continue
        content_type = CONTENT_TYPES.get(path.suffix.lower())
        if content_type is None:
            continue
        key = str(relative)
        table[key] = StaticFile(path, content_type, cache_control_for(key))
    return table


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def not_modified(request: Request, etag: str) -> bool:
    header = request.headers.get("if-none-match", "")
    candidates = {value.strip().removeprefix("W/") for value in header.split(",")}
    return etag in candidates or "*" in candidates


def serve(request: Request, item: StaticFile) -> HTTPResponse:
    body = item.path.read_bytes()  # small files; read per request so edits show up at once
    etag = etag_of(body)
    headers = {
        "Cache-Control": item.cache_control,
        "ETag": etag,
        "X-Content-Type-Options": "nosniff",
        # Lets pages that isolate themselves (COEP) load the widget from this origin.
        "Cross-Origin-Resource-Policy": "cross-origin",
    }
    if item.path.name == INDEX:
        headers["Content-Security-Policy"] = DEMO_CSP
        headers["Referrer-Policy"] = "no-referrer"
    if not_modified(request, etag):
        return response.empty(status=304, headers=headers)
    if request.method == "HEAD":
        headers["Content-Length"] = str(len(body))
        return response.raw(b"", headers=headers, content_type=item.content_type)
    return response.raw(body, headers=headers, content_type=item.content_type)


class WebchatInput(InputChannel):
    """Serves the web widget; messages go through Rasa's socket.io channel, not this one."""

    def __init__(self, static_dir: Path = STATIC_DIR) -> None:
        self.static_dir = static_dir

    @classmethod
    def name(cls) -> str:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WebchatInput:
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        files = static_files(self.static_dir)
        blueprint = Blueprint("webchat", __name__)

        @blueprint.listener("before_server_start")
        async def repair_socketio(app: Sanic, _loop: Any) -> None:
            # The widget needs the socket.io channel's session persistence; see the module.
            repair_session_request(getattr(app.ctx, "input_channels", None) or [])

        def not_found() -> HTTPResponse:
            return response.text(
                "Not found", status=404, headers={"X-Content-Type-Options": "nosniff"}
            )

        @blueprint.route("/", methods=["GET", "HEAD"])
        async def index(request: Request) -> HTTPResponse:
            item = files.get(INDEX)
            return serve(request, item) if item else not_found()

        @blueprint.route("/<name:path>", methods=["GET", "HEAD"])
        async def asset(request: Request, name: str) -> HTTPResponse:
            # A table look-up, never a path join: nothing outside static/ can be named.
            # Sanic routes "/webhooks/webchat/" here with an empty name: the demo page.
            item = files.get(name or INDEX)
            return serve(request, item) if item else not_found()

        return blueprint

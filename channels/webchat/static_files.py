"""The widget's files in `static/`: which ones may be served, with which type and caching.

Only files that exist in `static/` when the server starts are served, plus `widget.js`,
joined from the widget's sources (`widget_bundle.py`): a request path is looked up in that
fixed table and never joined to a directory, so `..`, encoded slashes or absolute paths
cannot reach anything else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sanic.request import Request
from sanic.response import HTTPResponse

from channels.webchat import widget_bundle
from channels.webchat.http_cache import cached

STATIC_DIR = Path(__file__).resolve().parent / "static"
INDEX = "index.html"
WIDGET = "widget.js"

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

# The demo page is always revalidated; the widget (and its texts) is cached briefly so that
# a new version reaches citizens within minutes; vendored files live in a versioned folder
# and never change.
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
    source: Path  # the file, or the folder widget.js is joined from
    read: Callable[[], bytes]  # small files: read per request, so that edits show at once
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
        table[key] = StaticFile(path, path.read_bytes, content_type, cache_control_for(key))
    if root == STATIC_DIR:
        table[WIDGET] = StaticFile(
            widget_bundle.SOURCE_DIR,
            lambda: widget_bundle.render().encode("utf-8"),
            CONTENT_TYPES[".js"],
            cache_control_for(WIDGET),
        )
    return table


def serve_file(request: Request, item: StaticFile) -> HTTPResponse:
    headers = {"Cache-Control": item.cache_control}
    if item.source.name == INDEX:
        headers["Content-Security-Policy"] = DEMO_CSP
        headers["Referrer-Policy"] = "no-referrer"
    return cached(request, item.read(), item.content_type, headers)

"""One way to answer with a small body: ETag, conditional GET (304), HEAD, safe headers.

Used for the widget's static files and for its texts; the callers choose the body, its
type and its Cache-Control, this module does the rest the same way for both.
"""

from __future__ import annotations

import hashlib

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

# Every answer of the channel: never sniffed as another type, and loadable by pages that
# isolate themselves (COEP) from this origin.
SAFE_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Resource-Policy": "cross-origin",
}


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def not_modified(request: Request, etag: str) -> bool:
    header = request.headers.get("if-none-match", "")
    candidates = {value.strip().removeprefix("W/") for value in header.split(",")}
    return etag in candidates or "*" in candidates


def cached(
    request: Request, body: bytes, content_type: str, headers: dict[str, str]
) -> HTTPResponse:
    """`body` with an ETag; 304 when the client has it already; no body for HEAD."""
    etag = etag_of(body)
    headers = {**headers, **SAFE_HEADERS, "ETag": etag}
    if not_modified(request, etag):
        return response.empty(status=304, headers=headers)
    if request.method == "HEAD":
        headers["Content-Length"] = str(len(body))
        return response.raw(b"", headers=headers, content_type=content_type)
    return response.raw(body, headers=headers, content_type=content_type)


def not_found() -> HTTPResponse:
    return response.text("Not found", status=404, headers={"X-Content-Type-Options": "nosniff"})

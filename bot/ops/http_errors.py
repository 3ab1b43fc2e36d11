"""Plain JSON error answers on the Rasa server, whatever the request's headers.

Sanic 21.12 picks the format of an error page from the request's `Accept` header; a
malformed one ("999…9", "Bearer x") makes that choice raise inside the error handler,
and the client gets "500 An error occurred while handling an error" instead of the
404 or 405 it earned (found by the fuzz run, tests/fuzz/). Sanic's own errors are
answered here as `{"error": "<status phrase>"}` with their status, never echoing the
request. Rasa's `ErrorResponse` keeps its own, more specific, handler.
"""

from __future__ import annotations

from http import HTTPStatus

from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse


def plain_error(request: Request, exception: SanicException) -> HTTPResponse:
    status = int(getattr(exception, "status_code", 500) or 500)
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    headers = getattr(exception, "headers", None) or {}
    return response.json({"error": phrase}, status=status, headers=headers)


def install_plain_errors(app: Sanic) -> None:
    app.error_handler.add(SanicException, plain_error)

"""Middlewares, outermost first: JSON errors, fault injection, bearer authentication.

Fault injection and authentication apply to the agency's API (`/v1/...`) only; the
token endpoint and the test controls (`/_sandbox/...`) are never failed nor checked.
"""

from __future__ import annotations

import asyncio
import logging
import time

from aiohttp import web

from bot.sandbox.responses import Handler, error
from bot.sandbox.state import SandboxState, state_of

log = logging.getLogger(__name__)

API_PREFIX = "/v1/"
FAULT_CODES = {
    500: "internal_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
    429: "rate_limited",
}


@web.middleware
async def errors_as_json(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every error leaves as JSON `{error, detail}`, including aiohttp's own 404/405."""
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}.get(
            exc.status, "http_error"
        )
        return error(exc.status, code, exc.reason)
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("sandbox error on %s %s", request.method, request.path)
        return error(500, "internal_error", "unexpected sandbox error")


@web.middleware
async def fault_injection(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Counts the API calls; fails or slows down the next ones as /_sandbox/faults asked."""
    if not request.path.startswith(API_PREFIX):
        return await handler(request)
    state = state_of(request)
    route = request.match_info.route.resource
    state.counters[f"{request.method} {route.canonical if route else '(unmatched)'}"] += 1
    faults = state.faults
    if faults.fail_next > 0:
        faults.fail_next -= 1
        state.counters["injected_failures"] += 1
        code = FAULT_CODES.get(faults.status, "injected_failure")
        return error(faults.status, code, "sandbox fault injection")
    delay = 0.0
    if faults.delay_next > 0:
        faults.delay_next -= 1
        delay = faults.delay_seconds
    response = await handler(request)
    if delay:
        # A slow answer: the work is done (and committed), the answer comes late.
        state.counters["injected_delays"] += 1
        await asyncio.sleep(delay)
    return response


@web.middleware
async def bearer_auth(request: web.Request, handler: Handler) -> web.StreamResponse:
    """The API needs a bearer token issued by /oauth/token and not yet expired."""
    if not request.path.startswith(API_PREFIX):
        return await handler(request)
    # (Never `a or b` with responses: an aiohttp response is a mapping, empty = falsy.)
    refusal = check_bearer(request, state_of(request))
    if refusal is not None:
        return refusal
    return await handler(request)


def check_bearer(request: web.Request, state: SandboxState) -> web.Response | None:
    """The 401 to answer, or None when the request carries a valid token."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return error(
            401,
            "unauthorized",
            "a bearer token is required",
            headers={"WWW-Authenticate": 'Bearer realm="agency-sandbox"'},
        )
    expiry = state.tokens.get(token.strip())
    if expiry is None or expiry <= time.monotonic():
        state.tokens.pop(token.strip(), None)
        return error(
            401,
            "invalid_token",
            "unknown or expired token",
            headers={"WWW-Authenticate": 'Bearer realm="agency-sandbox", error="invalid_token"'},
        )
    return None

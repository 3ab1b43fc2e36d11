"""Async client of the employment agency's API (the sandbox speaks the same contract).

    async with AgencyClient.from_settings(load_settings()) as client:
        answer = await client.register_jobseeker(payload, idempotency_key)

* OAuth2 client credentials (`bot.agency.oauth`): the token is cached, renewed shortly
  before it expires and once more when the agency answers 401.
* Timeouts, connection errors and 5xx are retried with exponential backoff, with the SAME
  Idempotency-Key on every attempt; 4xx never are. After the last attempt:
  :class:`AgencyUnavailable`.
* Logs carry method, path, status, attempt and duration only: never a body, never personal
  data.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from typing import Any
from urllib.parse import quote, quote_plus

import aiohttp

from bot.agency.endpoint_checks import check_base_url
from bot.agency.errors import AgencyRejected, AgencyUnavailable, AlreadyRegistered
from bot.agency.oauth import TokenCache, read_token_answer

log = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 30.0


class _Transient(Exception):
    """One attempt failed in a way worth retrying (timeout, connection, 5xx)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AgencyClient:
    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str,
        timeout_seconds: float = 5,
        max_attempts: int = 3,
        backoff_seconds: float = 0.2,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        check_base_url(base_url)
        self.base_url = base_url.rstrip("/")
        self._client_id = client_id
        self._client_secret = client_secret
        self.timeout_seconds = float(timeout_seconds)
        self.max_attempts = int(max_attempts)
        self.backoff_seconds = float(backoff_seconds)
        self._session: aiohttp.ClientSession | None = None
        self._tokens = TokenCache()

    @classmethod
    def from_settings(cls, settings: Any, **overrides: Any) -> AgencyClient:
        kwargs = {
            "base_url": settings.agency_api_url,
            "client_id": settings.agency_client_id,
            "client_secret": settings.agency_client_secret,
            "timeout_seconds": settings.agency_timeout_seconds,
            "max_attempts": settings.agency_max_attempts,
            **overrides,
        }
        return cls(**kwargs)

    def __repr__(self) -> str:  # never show the secret
        return f"AgencyClient({self.base_url!r}, client_id={self._client_id!r})"

    # ------------------------------------------------------------------ lifecycle

    async def __aenter__(self) -> AgencyClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                headers={"Accept": "application/json"}, raise_for_status=False
            )
        return self._session

    # ------------------------------------------------------------------ public API

    async def register_jobseeker(self, payload: dict, idempotency_key: str) -> dict:
        """201 -> the agency's answer `{reference, agency, status, ...}`.

        Raises AlreadyRegistered (409), AgencyRejected (other 4xx), AgencyUnavailable."""
        status, body = await self._call(
            "POST", "/v1/jobseekers", json_body=payload, idempotency_key=idempotency_key
        )
        if status == 409 and body.get("error") == "already_registered":
            raise AlreadyRegistered(str(body.get("reference", "")), _detail(body), body)
        return self._success(status, body)

    async def request_document(self, payload: dict, idempotency_key: str) -> dict:
        """201 -> `{reference, status, expected_days, ...}`."""
        status, body = await self._call(
            "POST", "/v1/document-requests", json_body=payload, idempotency_key=idempotency_key
        )
        return self._success(status, body)

    async def get_jobseeker(self, reference: str) -> dict | None:
        return await self._get_or_none(f"/v1/jobseekers/{_segment(reference)}")

    async def get_document_request(self, reference: str) -> dict | None:
        return await self._get_or_none(f"/v1/document-requests/{_segment(reference)}")

    async def find_office(self, postcode: str) -> dict | None:
        """The competent office; None for an unknown postcode, AgencyRejected (422) for a
        malformed one."""
        return await self._get_or_none("/v1/offices", params={"postcode": str(postcode).strip()})

    # ------------------------------------------------------------------ internals

    async def _get_or_none(self, path: str, params: dict | None = None) -> dict | None:
        status, body = await self._call("GET", path, params=params)
        if status == 404:
            return None
        return self._success(status, body)

    @staticmethod
    def _success(status: int, body: dict) -> dict:
        if 200 <= status < 300:
            return body
        raise AgencyRejected(
            status, str(body.get("error") or f"http_{status}"), _detail(body), body
        )

    async def _call(
        self,
        method: str,
        path: str,
        *,
        json_body: dict | None = None,
        params: dict | None = None,
        idempotency_key: str | None = None,
    ) -> tuple[int, dict]:
        """(status, JSON body) of the first answer that is not worth retrying."""
        if method == "POST" and not idempotency_key:
            raise ValueError("POST requests need an idempotency_key")
        data = None if json_body is None else json.dumps(json_body).encode("utf-8")
        reason = "no attempt"
        for attempt in range(1, self.max_attempts + 1):
            try:
                return await self._attempt(method, path, data, params, idempotency_key, attempt)
            except _Transient as exc:
                reason = exc.reason
            if attempt < self.max_attempts:
                await asyncio.sleep(self._backoff(attempt))
        log.warning(
            "agency %s %s unavailable after %d attempt(s): %s",
            method,
            path,
            self.max_attempts,
            reason,
        )
        raise AgencyUnavailable(reason, self.max_attempts)

    def _backoff(self, attempt: int) -> float:
        delay = min(self.backoff_seconds * 2 ** (attempt - 1), MAX_BACKOFF_SECONDS)
        # bandit B311: Jitter of a retry delay: no secret comes from this generator.
        return delay * random.uniform(1.0, 1.25)  # a little jitter: workers do not align  # nosec B311

    async def _attempt(
        self,
        method: str,
        path: str,
        data: bytes | None,
        params: dict | None,
        idempotency_key: str | None,
        attempt: int,
    ) -> tuple[int, dict]:
        """One attempt (a 401 renews the token once within it)."""
        refreshed = False
        while True:
            token = await self._tokens.get(lambda: self._fetch_token(attempt))
            headers = {"Authorization": f"Bearer {token}"}
            if data is not None:
                headers["Content-Type"] = "application/json"
            if idempotency_key:
                headers["Idempotency-Key"] = idempotency_key
            status, body = await self._send(method, path, attempt, headers, data, params)
            if status == 401 and not refreshed:
                refreshed = True
                self._tokens.forget(token)
                continue
            if status >= 500:
                raise _Transient(f"http_{status}")
            return status, body

    async def _send(
        self,
        method: str,
        path: str,
        attempt: int,
        headers: dict,
        data: bytes | None = None,
        params: dict | None = None,
        auth: aiohttp.BasicAuth | None = None,
    ) -> tuple[int, dict]:
        started = time.monotonic()
        status: int | str = "error"
        try:
            async with self._http().request(
                method,
                self.base_url + path,
                data=data,
                params=params,
                headers=headers,
                auth=auth,
                timeout=aiohttp.ClientTimeout(total=self.timeout_seconds),
            ) as response:
                status = response.status
                raw = await response.read()
        except asyncio.TimeoutError:
            status = "timeout"
            raise _Transient("timeout") from None
        except aiohttp.ClientError as exc:
            status = type(exc).__name__
            raise _Transient(f"connection: {type(exc).__name__}") from None
        finally:
            log.info(
                "agency %s %s -> %s attempt=%d/%d duration_ms=%d",
                method,
                path,
                status,
                attempt,
                self.max_attempts,
                (time.monotonic() - started) * 1000,
            )
        try:
            body = json.loads(raw) if raw else {}
        except (ValueError, UnicodeDecodeError):
            body = None
        if not isinstance(body, dict):
            if 200 <= response.status < 300:
                # A proxy's page or a truncated answer: not the agency's contract.
                raise _Transient("invalid_response")
            body = {"error": f"http_{response.status}", "detail": ""}
        return response.status, body

    # ------------------------------------------------------------------ OAuth token

    async def _fetch_token(self, attempt: int) -> tuple[str, float]:
        # RFC 6749 2.3.1: HTTP Basic with form-urlencoded client id and secret.
        auth = aiohttp.BasicAuth(quote_plus(self._client_id), quote_plus(self._client_secret))
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        status, body = await self._send(
            "POST",
            "/oauth/token",
            attempt,
            headers,
            data=b"grant_type=client_credentials",
            auth=auth,
        )
        if status >= 500:
            raise _Transient(f"token_http_{status}")
        return read_token_answer(status, body, _detail(body))


def _segment(reference: str) -> str:
    reference = str(reference).strip()
    if not reference:
        raise ValueError("empty reference")
    return quote(reference, safe="")


def _detail(body: dict) -> str:
    detail = body.get("detail", "")
    return detail if isinstance(detail, str) else json.dumps(detail)

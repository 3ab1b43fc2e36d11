"""The counsellor console: the login form, the CSRF-protected forms, random paths, query
strings, bodies, cookies and headers; half of the cases as a logged-in counsellor."""

from __future__ import annotations

import re

from tests.fuzz.http_client import HttpCase, send
from tests.fuzz.http_target import HttpTarget
from tests.fuzz.payloads import Payloads

SESSION_COOKIE = "console_session"
LOGIN_CSRF_COOKIE = "console_login_csrf"
ACTIONS = ["take", "reply", "hand-back", "close", "reveal"]
FORM_FIELDS = ["text", "outcome", "field", "csrf_token", "username", "password", "notice"]


class ConsoleTarget(HttpTarget):
    name = "console"

    def __init__(
        self,
        host: str,
        port: int,
        seed: int,
        bound: float,
        cookie: str,
        csrf: str,
        handoff_id: int,
    ) -> None:
        super().__init__(host, port, seed, bound)
        self.cookie, self.csrf, self.handoff_id = cookie, csrf, handoff_id

    def known_paths(self, payloads: Payloads) -> list[str]:
        some_id = payloads.rng.choice(
            [str(self.handoff_id), "0", "-1", "2147483648", "99999999999", "1e3", "%31", "x"]
        )
        return [
            "/",
            "/login",
            "/logout",
            "/health",
            "/queue",
            "/events",
            f"/handoffs/{some_id}",
            f"/handoffs/{some_id}/transcript",
            *(f"/handoffs/{some_id}/{action}" for action in ACTIONS),
            "/static/console.js",
            "/static/console.css",
            "/static/../app.py",
            "/static/%2e%2e/%2e%2e/settings.py",
            "/static//etc/passwd",
        ]

    def make(self, payloads: Payloads) -> tuple[str, HttpCase]:
        rng = payloads.rng
        logged_in = rng.random() < 0.5
        headers: list[tuple[str, str]] = []
        cookies = []
        if logged_in:
            cookies.append(f"{SESSION_COOKIE}={self.cookie}")
        elif rng.random() < 0.2:
            cookies.append(f"{SESSION_COOKIE}={payloads.header_value()}")
        if rng.random() < 0.2:
            cookies.append(f"{LOGIN_CSRF_COOKIE}={payloads.header_value()}")
        if cookies:
            headers.append(("Cookie", "; ".join(cookies)))
        csrf = self.csrf if logged_in and rng.random() < 0.7 else payloads.header_value()
        if rng.random() < 0.3:
            headers.append(("X-CSRF-Token", csrf))
        if rng.random() < 0.3:
            headers.append(("Accept", "application/json"))
        headers += payloads.extra_headers()

        roll = rng.random()
        path = payloads.path(self.known_paths(payloads))
        if logged_in and path == "/logout":
            path = "/"  # the run keeps its counsellor logged in
        if roll < 0.45:
            kind = "form"
            path = rng.choice(
                [f"/handoffs/{self.handoff_id}/{action}" for action in ACTIONS] + ["/login", path]
            )
            fields = {
                name: payloads.text(200) for name in rng.sample(FORM_FIELDS, rng.randint(0, 4))
            }
            if rng.random() < 0.7:
                fields["csrf_token"] = csrf
            if rng.random() < 0.5:
                headers.append(("Content-Type", "application/x-www-form-urlencoded"))
                body = payloads.form_body(fields)
            else:
                headers.append(("Content-Type", "multipart/form-data; boundary=xyz"))
                body = payloads.multipart_body({k: str(v) for k, v in fields.items()})
            method = "POST"
        elif roll < 0.55:
            kind = "huge form"
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
            body = payloads.form_body({"text": payloads.huge_text(), "csrf_token": csrf})
            method = "POST"
            path = f"/handoffs/{self.handoff_id}/reply"
        elif roll < 0.7:
            kind = "body"
            headers.append(("Content-Type", payloads.content_type()))
            body = rng.choice(
                [
                    payloads.json_body(payloads.value()),
                    payloads.broken_json(),
                    payloads.random_bytes(),
                ]
            )
            method = rng.choice(["POST", "POST", payloads.method()])
        else:
            kind = "path"
            body = b""
            method = rng.choice(["GET", "GET", "GET", payloads.method()])
        if logged_in and path == "/logout":
            path = "/"
        return kind, HttpCase(method, path + payloads.query(), headers, body)

    async def still_works(self) -> list[str]:
        problems = []
        health = await send(self.host, self.port, HttpCase("GET", "/health"), 30)
        if health.status != 200:
            problems.append(f"GET /health answered {health.status or health.problem}")
        cookie = [("Cookie", f"{SESSION_COOKIE}={self.cookie}")]
        queue = await send(self.host, self.port, HttpCase("GET", "/", cookie), 30)
        if queue.status != 200 or not re.search(r'name="csrf-token"', queue.text):
            problems.append(f"the counsellor's queue page answered {queue.status or queue.problem}")
        # The run may have handed the conversation back or closed it: any answer but an
        # error of the server is right.
        page = await send(
            self.host, self.port, HttpCase("GET", f"/handoffs/{self.handoff_id}", cookie), 30
        )
        if page.status is None or page.status >= 500:
            problems.append(f"the conversation page answered {page.status or page.problem}")
        return problems

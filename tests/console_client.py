"""A counsellor using the console over real HTTP (requests), for integration tests."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import requests
from sqlalchemy.orm import sessionmaker

from bot.accounts import users
from bot.db import make_engine, make_session_factory

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]*)"')
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]*)"')
PASSWORD = "correct horse battery staple"


def factory_for(database_url: str) -> sessionmaker:
    return make_session_factory(make_engine(database_url))


def ensure_counsellor(database_url: str, username: str, display_name: str = "") -> None:
    factory = factory_for(database_url)
    if users.get_user(factory, username) is None:
        users.create_user(factory, username, PASSWORD, "counsellor", display_name or None)


@dataclass
class Counsellor:
    base_url: str
    username: str
    http: requests.Session = field(default_factory=requests.Session)
    csrf: str = ""

    def login(self) -> Counsellor:
        page = self.http.get(f"{self.base_url}/login", timeout=30)
        token = CSRF_FIELD.search(page.text).group(1)
        answer = self.http.post(
            f"{self.base_url}/login",
            data={"username": self.username, "password": PASSWORD, "csrf_token": token},
            allow_redirects=False,
            timeout=30,
        )
        assert answer.status_code == 303, answer.text[:300]
        self.csrf = CSRF_META.search(self.http.get(f"{self.base_url}/", timeout=30).text).group(1)
        return self

    def queue_page(self) -> str:
        return self.http.get(f"{self.base_url}/", timeout=30).text

    def post(self, path: str, **data: str) -> requests.Response:
        return self.http.post(
            f"{self.base_url}{path}",
            data={**data, "csrf_token": self.csrf},
            allow_redirects=False,
            timeout=60,
        )

    def take(self, request_id: int) -> requests.Response:
        return self.post(f"/handoffs/{request_id}/take")

    def reply(self, request_id: int, text: str) -> dict:
        answer = self.http.post(
            f"{self.base_url}/handoffs/{request_id}/reply",
            data={"text": text},
            headers={"X-CSRF-Token": self.csrf, "Accept": "application/json"},
            timeout=60,
        )
        assert answer.status_code == 200, answer.text[:300]
        return answer.json()

    def hand_back(self, request_id: int) -> requests.Response:
        return self.post(f"/handoffs/{request_id}/hand-back")

    def close(self, request_id: int, outcome: str) -> requests.Response:
        return self.post(f"/handoffs/{request_id}/close", outcome=outcome)

    def conversation_page(self, request_id: int) -> str:
        return self.http.get(f"{self.base_url}/handoffs/{request_id}", timeout=30).text

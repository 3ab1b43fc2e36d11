"""Widget session ids the server issues and signs, so that nobody can choose or guess one.

A widget session is a random id (32 hex digits); its conversation in Rasa is `web:<id>`.
The browser keeps the *signed* form, `<id>.<signature>`, where the signature is
HMAC-SHA256 of the id under the secret `WEBCHAT_SESSION_SECRET`. A browser that comes back
with a signed id continues its conversation; any other value (none, an old unsigned id, a
tampered or forged one, one signed with another secret, garbage of any type) gets a new
id. Knowing a conversation id (a counsellor sees it) is not enough to join it: that takes
the signature, which only the server can make.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from bot.secret_values import read_secret
from bot.settings import Settings

# bandit B105: The name of a setting or header, not a secret.
SECRET_NAME = "WEBCHAT_SESSION_SECRET"  # nosec B105
CONVERSATION_PREFIX = "web:"
_SEPARATOR = "."
# What is signed is the purpose and the id, so that a signature made with the same secret
# for something else can never pass for a session.
_PURPOSE = b"webchat-session\x00"
_ID = re.compile(r"[0-9a-f]{32}")
_SIGNATURE = re.compile(r"[A-Za-z0-9_-]{43}")  # 32 bytes, base64url without padding


def conversation_id(session_id: str) -> str:
    """The Rasa conversation (and socket.io room) of a widget session: `web:<id>`."""
    return CONVERSATION_PREFIX + session_id


@dataclass(frozen=True)
class SessionSigner:
    """Issues and checks signed widget session ids with one secret."""

    secret: bytes

    def __post_init__(self) -> None:
        if len(self.secret) < 16:
            raise ValueError(f"{SECRET_NAME} is too short: use at least 16 random bytes")

    @classmethod
    def from_settings(cls, settings: Settings) -> SessionSigner:
        """The signer of this deployment (in production the secret must be configured)."""
        secret = read_secret(SECRET_NAME, settings.var_dir, production=settings.production)
        return cls(secret.encode("utf-8"))

    def _signature(self, session_id: str) -> str:
        digest = hmac.new(self.secret, _PURPOSE + session_id.encode("ascii"), hashlib.sha256)
        return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode("ascii")

    def new_session_id(self) -> str:
        return secrets.token_hex(16)

    def sign(self, session_id: str) -> str:
        """`<id>.<signature>`: what the browser keeps and sends back."""
        if not _ID.fullmatch(session_id):
            raise ValueError("a widget session id is 32 lowercase hex digits")
        return session_id + _SEPARATOR + self._signature(session_id)

    def verify(self, token: object) -> str | None:
        """The session id inside a signed id, or None. Never raises, whatever `token` is."""
        if not isinstance(token, str) or len(token) > 100:
            return None
        session_id, separator, signature = token.partition(_SEPARATOR)
        if not separator or not _ID.fullmatch(session_id) or not _SIGNATURE.fullmatch(signature):
            return None
        expected = self._signature(session_id)
        return session_id if hmac.compare_digest(expected, signature) else None

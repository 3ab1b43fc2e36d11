"""Password hashing: self-describing scrypt, constant-time checks, strength."""

from __future__ import annotations

import base64

from bot.accounts import passwords
from tests.unit.accounts.helpers import PASSWORD


def test_hash_format_is_self_describing_scrypt():
    stored = passwords.hash_password(PASSWORD)
    scheme, n, r, p, salt, digest = stored.split("$")
    assert (scheme, n, r, p) == ("scrypt", str(2**14), "8", "1")
    assert len(base64.b64decode(salt)) == 16 and len(base64.b64decode(digest)) == 32
    assert passwords.hash_password(PASSWORD) != stored  # fresh salt
    assert PASSWORD not in stored


def test_verify_password():
    stored = passwords.hash_password(PASSWORD)
    assert passwords.verify_password(PASSWORD, stored)
    assert not passwords.verify_password(PASSWORD + "x", stored)
    assert not passwords.verify_password("", stored)
    for broken in ("", "plain", "md5$1$2$3$4$5", "scrypt$x$8$1$AA==$AA==", "scrypt$16384$8$1$!$!"):
        assert not passwords.verify_password(PASSWORD, broken)
    assert not passwords.verify_password(PASSWORD, "scrypt$1073741824$8$1$AAAA$AAAA")  # absurd cost
    assert not passwords.needs_rehash(stored)
    assert passwords.needs_rehash("scrypt$1024$8$1$AAAA$AAAA")


def test_verify_uses_a_constant_time_compare(monkeypatch):
    calls = []
    real = passwords.hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(passwords.hmac, "compare_digest", spy)
    assert passwords.verify_password(PASSWORD, passwords.hash_password(PASSWORD))
    assert len(calls) == 1

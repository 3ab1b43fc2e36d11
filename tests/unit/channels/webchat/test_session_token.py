"""Signed widget session ids: only the server's own signature keeps a session."""

from __future__ import annotations

import os
import stat

import pytest

from bot.secret_values import MissingSecret
from bot.settings import load_settings
from channels.webchat.session_token import SECRET_NAME, SessionSigner, conversation_id

SIGNER = SessionSigner(b"a test secret of enough length, 32+")
OTHER = SessionSigner(b"another secret, just as long as it")


def test_a_signed_id_is_verified_and_gives_back_its_session():
    session_id = SIGNER.new_session_id()
    signed = SIGNER.sign(session_id)
    assert signed.startswith(session_id + ".")
    assert SIGNER.verify(signed) == session_id
    assert conversation_id(session_id) == f"web:{session_id}"


def test_new_ids_are_random_and_well_formed():
    ids = {SIGNER.new_session_id() for _ in range(200)}
    assert len(ids) == 200
    assert all(len(i) == 32 and set(i) <= set("0123456789abcdef") for i in ids)


def test_an_unsigned_id_is_refused():
    session_id = SIGNER.new_session_id()
    assert SIGNER.verify(session_id) is None
    assert SIGNER.verify(session_id + ".") is None


def test_a_tampered_id_or_signature_is_refused():
    signed = SIGNER.sign(SIGNER.new_session_id())
    session_id, signature = signed.split(".")
    other_id = ("0" if session_id[0] != "0" else "1") + session_id[1:]
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    assert SIGNER.verify(f"{other_id}.{signature}") is None
    assert SIGNER.verify(f"{session_id}.{flipped}") is None
    assert SIGNER.verify(signed.upper()) is None
    assert SIGNER.verify(signed + "x") is None
    assert SIGNER.verify(" " + signed) is None


def test_a_signature_made_with_another_secret_is_refused():
    session_id = SIGNER.new_session_id()
    assert OTHER.verify(SIGNER.sign(session_id)) is None
    assert SIGNER.verify(OTHER.sign(session_id)) is None


@pytest.mark.parametrize(
    "garbage",
    [
        None,
        "",
        ".",
        "..",
        "abc",
        "web:0123",
        "0" * 32 + "." + "A" * 43,
        "é" * 32 + "." + "é" * 43,
        "0" * 32 + "." + "\x00" * 43,
        "x" * 10_000,
        123,
        12.5,
        True,
        b"0123456789abcdef0123456789abcdef",
        ["a", "b"],
        {"session_id": "a"},
        object(),
    ],
)
def test_garbage_is_refused_without_raising(garbage):
    assert SIGNER.verify(garbage) is None


def test_only_well_formed_ids_are_signed():
    with pytest.raises(ValueError):
        SIGNER.sign("my-own-id")


def test_a_short_secret_is_refused():
    with pytest.raises(ValueError):
        SessionSigner(b"short")


def test_locally_the_secret_is_made_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_VAR_DIR", str(tmp_path))
    monkeypatch.delenv(SECRET_NAME, raising=False)
    monkeypatch.delenv(f"{SECRET_NAME}_FILE", raising=False)
    monkeypatch.delenv("ASSISTANT_ENV", raising=False)
    first = SessionSigner.from_settings(load_settings())
    second = SessionSigner.from_settings(load_settings())
    signed = first.sign(first.new_session_id())
    assert second.verify(signed) is not None  # the same secret after a restart
    (kept,) = tmp_path.iterdir()
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o600


def test_the_configured_secret_is_used(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_VAR_DIR", str(tmp_path))
    monkeypatch.setenv(SECRET_NAME, "a configured secret of enough length")
    signer = SessionSigner.from_settings(load_settings())
    expected = SessionSigner(b"a configured secret of enough length")
    assert expected.verify(signer.sign(signer.new_session_id())) is not None
    assert list(tmp_path.iterdir()) == []


def test_production_refuses_to_make_up_a_secret(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("ASSISTANT_ENV", "production")
    monkeypatch.delenv(SECRET_NAME, raising=False)
    monkeypatch.delenv(f"{SECRET_NAME}_FILE", raising=False)
    with pytest.raises(MissingSecret):
        SessionSigner.from_settings(load_settings())

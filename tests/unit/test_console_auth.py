"""Console users: scrypt hashes, login, throttle, sessions, CSRF, roles and the CLI."""

from __future__ import annotations

import base64
import io
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from bot.audit import AuditEvent
from bot.console import auth, users_cli
from bot.console.auth import ConsoleSession, LoginAttempt, LoginThrottled
from bot.db import make_engine, make_session_factory, session_scope
from bot.models import metadata
from bot.settings import PROJECT_ROOT

PASSWORD = "correct horse battery"


@pytest.fixture
def factory(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'console.db'}")
    metadata.create_all(engine)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def anna(factory):
    return auth.create_user(factory, "Anna", PASSWORD, "counsellor", "Anna Janssens")


def audit_dump(factory) -> str:
    with session_scope(factory) as session:
        events = session.execute(select(AuditEvent)).scalars().all()
        return " ".join(f"{e.actor} {e.action} {e.conversation_id} {e.detail}" for e in events)


# --- hashing ---------------------------------------------------------------------------


def test_hash_format_is_self_describing_scrypt():
    stored = auth.hash_password(PASSWORD)
    scheme, n, r, p, salt, digest = stored.split("$")
    assert (scheme, n, r, p) == ("scrypt", str(2**14), "8", "1")
    assert len(base64.b64decode(salt)) == 16 and len(base64.b64decode(digest)) == 32
    assert auth.hash_password(PASSWORD) != stored  # fresh salt
    assert PASSWORD not in stored


def test_verify_password():
    stored = auth.hash_password(PASSWORD)
    assert auth.verify_password(PASSWORD, stored)
    assert not auth.verify_password(PASSWORD + "x", stored)
    assert not auth.verify_password("", stored)
    for broken in ("", "plain", "md5$1$2$3$4$5", "scrypt$x$8$1$AA==$AA==", "scrypt$16384$8$1$!$!"):
        assert not auth.verify_password(PASSWORD, broken)
    assert not auth.verify_password(PASSWORD, "scrypt$1073741824$8$1$AAAA$AAAA")  # absurd cost
    assert not auth.needs_rehash(stored)
    assert auth.needs_rehash("scrypt$1024$8$1$AAAA$AAAA")


def test_verify_uses_a_constant_time_compare(monkeypatch):
    calls = []
    real = auth.hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(auth.hmac, "compare_digest", spy)
    assert auth.verify_password(PASSWORD, auth.hash_password(PASSWORD))
    assert len(calls) == 1


# --- users -----------------------------------------------------------------------------


def test_create_user(factory, anna):
    assert anna.username == "anna" and anna.role == "counsellor" and anna.active
    assert anna.display_name == "Anna Janssens"
    assert auth.verify_password(PASSWORD, anna.password_hash)
    assert [u.username for u in auth.list_users(factory)] == ["anna"]
    with pytest.raises(auth.UserExists):
        auth.create_user(factory, "ANNA", PASSWORD, "trainer")
    with pytest.raises(auth.WeakPassword):
        auth.create_user(factory, "bram", "short", "counsellor")
    with pytest.raises(auth.InvalidUsername):
        auth.create_user(factory, "b r@m", PASSWORD, "counsellor")
    with pytest.raises(auth.AuthError):
        auth.create_user(factory, "bram", PASSWORD, "boss")
    assert auth.create_user(factory, "bram", PASSWORD, "admin").display_name == "bram"


def test_authenticate(factory, anna):
    assert auth.authenticate(factory, "anna", PASSWORD).id == anna.id
    assert auth.authenticate(factory, " ANNA ", PASSWORD).id == anna.id
    assert auth.authenticate(factory, "anna", "wrong password") is None
    assert auth.authenticate(factory, "nobody", PASSWORD) is None


def test_unknown_users_cost_a_hash_too(factory, monkeypatch):
    seen = []
    real = auth.verify_password
    monkeypatch.setattr(auth, "verify_password", lambda p, s: seen.append(s) or real(p, s))
    assert auth.authenticate(factory, "nobody", PASSWORD) is None
    assert len(seen) == 1 and seen[0].startswith("scrypt$16384$8$1$")


def test_set_password_and_deactivate_end_sessions(factory, anna):
    token, _ = auth.start_session(factory, anna.id)
    assert auth.set_password(factory, "anna", "another long one")
    assert auth.session_user(factory, token) is None
    assert auth.authenticate(factory, "anna", PASSWORD) is None
    assert auth.authenticate(factory, "anna", "another long one") is not None
    assert not auth.set_password(factory, "nobody", "another long one")
    with pytest.raises(auth.WeakPassword):
        auth.set_password(factory, "anna", "2short")
    token, _ = auth.start_session(factory, anna.id)
    assert auth.deactivate(factory, "anna")
    assert not auth.deactivate(factory, "nobody")
    assert auth.session_user(factory, token) is None
    assert auth.authenticate(factory, "anna", "another long one") is None


def test_require_role(factory, anna):
    assert auth.require_role(anna, "counsellor", "admin") is anna
    with pytest.raises(auth.PermissionDenied):
        auth.require_role(anna, "admin")
    with pytest.raises(PermissionError):
        auth.require_role(None, "counsellor")
    anna.active = False
    with pytest.raises(auth.PermissionDenied):
        auth.require_role(anna, "counsellor")


# --- throttle --------------------------------------------------------------------------


def test_five_failures_throttle_the_username(factory, anna):
    for _ in range(5):
        assert auth.authenticate(factory, "anna", "wrong password", "10.0.0.1") is None
    with pytest.raises(LoginThrottled) as caught:
        auth.authenticate(factory, "anna", PASSWORD, "10.0.0.2")  # even the right password
    assert 0 < caught.value.retry_after_seconds <= 15 * 60
    assert auth.login_retry_after(factory, "anna", "10.0.0.9") > 0
    # Another user from another address is not affected.
    auth.create_user(factory, "bram", PASSWORD, "counsellor")
    assert auth.authenticate(factory, "bram", PASSWORD, "10.0.0.2") is not None


def test_five_failures_throttle_the_ip(factory, anna):
    for name in ("a1", "a2", "a3", "a4", "a5"):
        auth.authenticate(factory, name, "wrong password", "192.0.2.7")
    with pytest.raises(LoginThrottled):
        auth.authenticate(factory, "anna", PASSWORD, "192.0.2.7")
    assert auth.authenticate(factory, "anna", PASSWORD, "192.0.2.8") is not None


def test_success_resets_the_username_counter(factory, anna):
    for _ in range(4):
        auth.authenticate(factory, "anna", "wrong password", "10.0.0.1")
    assert auth.authenticate(factory, "anna", PASSWORD, "10.0.0.2") is not None
    for _ in range(4):
        auth.authenticate(factory, "anna", "wrong password", "10.0.0.3")
    assert auth.authenticate(factory, "anna", PASSWORD, "10.0.0.4") is not None


def test_throttle_expires_with_the_window(factory, anna):
    for _ in range(5):
        auth.authenticate(factory, "anna", "wrong password", "10.0.0.1")
    old = datetime.now(timezone.utc) - timedelta(minutes=16)
    with session_scope(factory) as session:
        session.execute(update(LoginAttempt).values(at=old))
    assert auth.authenticate(factory, "anna", PASSWORD, "10.0.0.1") is not None


def test_throttle_is_shared_by_instances(factory, anna, tmp_path):
    # A second engine on the same database plays another console instance.
    other = make_engine(f"sqlite:///{tmp_path / 'console.db'}")
    try:
        for _ in range(5):
            auth.authenticate(factory, "anna", "wrong password", "10.0.0.1")
        with pytest.raises(LoginThrottled):
            auth.authenticate(make_session_factory(other), "anna", PASSWORD, "10.0.0.1")
    finally:
        other.dispose()


def test_attempts_store_no_username_nor_ip(factory, anna):
    auth.authenticate(factory, "anna", "wrong password", "203.0.113.5")
    with session_scope(factory) as session:
        row = session.execute(select(LoginAttempt)).scalar_one()
    assert "anna" not in row.username_key and "203.0.113.5" not in row.ip_key
    dump = audit_dump(factory)
    assert "login_failed" in dump
    for secret in ("anna", "Janssens", "203.0.113.5", PASSWORD, "wrong password"):
        assert secret not in dump


# --- sessions and CSRF -----------------------------------------------------------------


def test_sessions_store_only_the_token_hash(factory, anna):
    token, row = auth.start_session(factory, anna.id)
    assert len(token) >= 43
    assert row.id != token and len(row.id) == 64
    with session_scope(factory) as session:
        assert session.get(ConsoleSession, token) is None
    user = auth.session_user(factory, token)
    assert user is not None and user.id == anna.id
    assert auth.session_user(factory, "forged") is None
    assert auth.session_user(factory, "") is None
    assert token not in audit_dump(factory)


def test_session_expiry(factory, anna):
    token, _ = auth.start_session(factory, anna.id, ttl=timedelta(seconds=-1))
    assert auth.session_user(factory, token) is None
    token, row = auth.start_session(factory, anna.id)
    with session_scope(factory) as session:
        session.execute(
            update(ConsoleSession)
            .where(ConsoleSession.id == row.id)
            .values(expires_at=datetime.now(timezone.utc) - timedelta(minutes=1))
        )
    assert auth.session_user(factory, token) is None
    with session_scope(factory) as session:
        assert session.get(ConsoleSession, row.id) is None  # cleaned up


def test_session_updates_last_seen_and_ends(factory, anna):
    token, row = auth.start_session(factory, anna.id)
    earlier = datetime.now(timezone.utc) - timedelta(hours=1)
    with session_scope(factory) as session:
        session.execute(
            update(ConsoleSession).where(ConsoleSession.id == row.id).values(last_seen_at=earlier)
        )
    loaded_session, user = auth.load_session(factory, token)
    assert user.username == "anna" and loaded_session.id == row.id
    with session_scope(factory) as session:
        seen = session.get(ConsoleSession, row.id).last_seen_at
    assert seen.replace(tzinfo=timezone.utc) > earlier
    assert auth.end_session(factory, token)
    assert not auth.end_session(factory, token)
    assert auth.session_user(factory, token) is None


def test_csrf(factory, anna):
    token, row = auth.start_session(factory, anna.id)
    csrf = auth.csrf_token_for(row)
    assert csrf and csrf != token
    assert auth.check_csrf(row, csrf)
    assert not auth.check_csrf(row, csrf + "x")
    assert not auth.check_csrf(row, "")
    assert not auth.check_csrf(row, None)
    assert not auth.check_csrf(None, csrf)
    _, other = auth.start_session(factory, anna.id)
    assert not auth.check_csrf(other, csrf)


# --- the CLI ---------------------------------------------------------------------------


@pytest.fixture
def cli_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", url)
    return url


def run_cli(monkeypatch, argv, stdin=""):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return users_cli.main(argv)


def cli_factory(url):
    return make_session_factory(make_engine(url))


def test_cli_add_list_passwd_deactivate(cli_db, monkeypatch, capsys):
    add = ["users", "add", "--username", "anna", "--role", "counsellor", "--password-stdin"]
    assert run_cli(monkeypatch, [*add, "--display-name", "Anna"], PASSWORD + "\n") == 0
    assert run_cli(monkeypatch, add, PASSWORD + "\n") == 1  # taken
    assert run_cli(monkeypatch, ["users", "list"]) == 0
    out = capsys.readouterr()
    assert "created anna (counsellor)" in out.out and "anna\tcounsellor\tactive\tAnna" in out.out
    assert "taken" in out.err and PASSWORD not in out.out + out.err
    factory = cli_factory(cli_db)
    assert auth.authenticate(factory, "anna", PASSWORD) is not None

    passwd = ["users", "passwd", "--username", "anna", "--password-stdin"]
    assert run_cli(monkeypatch, passwd, "a new long password\n") == 0
    assert auth.authenticate(factory, "anna", "a new long password") is not None
    assert run_cli(monkeypatch, ["users", "deactivate", "--username", "anna"]) == 0
    assert run_cli(monkeypatch, ["users", "deactivate", "--username", "nobody"]) == 1
    assert auth.authenticate(factory, "anna", "a new long password") is None
    run_cli(monkeypatch, ["users", "list"])
    assert "anna\tcounsellor\tinactive" in capsys.readouterr().out


def test_cli_refuses_weak_passwords(cli_db, monkeypatch, capsys):
    argv = ["users", "add", "--username", "bram", "--role", "trainer", "--password-stdin"]
    assert run_cli(monkeypatch, argv, "short\n") == 1
    assert "at least 10" in capsys.readouterr().err
    assert run_cli(monkeypatch, ["users", "list"]) == 0
    assert "bram" not in capsys.readouterr().out


def test_cli_prompts_twice(cli_db, monkeypatch):
    answers = iter([PASSWORD, PASSWORD, PASSWORD, "different password"])
    monkeypatch.setattr(users_cli.getpass, "getpass", lambda prompt="": next(answers))
    assert users_cli.main(["users", "add", "--username", "cato", "--role", "admin"]) == 0
    assert users_cli.main(["users", "passwd", "--username", "cato"]) == 1  # mismatch


def test_cli_rejects_unknown_roles(cli_db):
    with pytest.raises(SystemExit):
        users_cli.main(["users", "add", "--username", "x1", "--role", "boss"])


def test_python_dash_m_bot_console(tmp_path):
    env = {**os.environ, "ASSISTANT_DATABASE_URL": f"sqlite:///{tmp_path / 'm.db'}"}
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    result = subprocess.run(
        [
            *(sys.executable, "-m", "bot.console", "users", "add"),
            *("--username", "dora", "--role", "counsellor", "--password-stdin"),
        ],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_ROOT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "created dora" in result.stdout

import dataclasses

import pytest

from bot.agency.endpoint_checks import UnsafeAgencyConfiguration, check_production_credentials
from bot.settings import load_settings


def test_defaults_are_embedded(monkeypatch, tmp_path):
    monkeypatch.setenv("ASSISTANT_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("ASSISTANT_DATABASE_URL", raising=False)
    monkeypatch.delenv("AGENCY_API_URL", raising=False)
    monkeypatch.delenv("RASA_PORT", raising=False)
    monkeypatch.delenv("RASA_URL", raising=False)
    settings = load_settings()
    assert settings.database_url == f"sqlite:///{tmp_path / 'assistant.db'}"
    assert settings.agency_api_url == "http://127.0.0.1:8088"
    assert settings.rasa_url == "http://127.0.0.1:5005"


def test_environment_overrides_defaults(monkeypatch):
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", "postgresql://assistant@127.0.0.1/assistant")
    monkeypatch.setenv("AGENCY_SANDBOX_PORT", "9999")
    monkeypatch.setenv("AGENCY_API_URL", "")
    settings = load_settings()
    assert settings.database_url == "postgresql://assistant@127.0.0.1/assistant"
    assert settings.agency_api_url == "http://127.0.0.1:9999"


def _without_redis(monkeypatch):
    for name in ("REDIS_URL", "REDIS_URL_FILE", "REDIS_HOST", "REDIS_PORT", "REDIS_DB"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("REDIS_PASSWORD", raising=False)
    monkeypatch.delenv("REDIS_PASSWORD_FILE", raising=False)


def test_locally_the_channels_have_no_redis(monkeypatch):
    _without_redis(monkeypatch)
    settings = load_settings()
    assert settings.redis_url == ""
    assert settings.redis_key_prefix == "jobseeker:"


def test_redis_url_wins(monkeypatch):
    _without_redis(monkeypatch)
    monkeypatch.setenv("REDIS_URL", "redis://:pw@redis.internal:6380/3")
    monkeypatch.setenv("REDIS_HOST", "elsewhere")
    assert load_settings().redis_url == "redis://:pw@redis.internal:6380/3"


def test_redis_url_from_a_file(monkeypatch, tmp_path):
    _without_redis(monkeypatch)
    secret = tmp_path / "redis-url"
    secret.write_text("redis://:s3cret@10.0.0.7:6379/0\n")
    monkeypatch.setenv("REDIS_URL_FILE", str(secret))
    assert load_settings().redis_url == "redis://:s3cret@10.0.0.7:6379/0"


def test_redis_url_from_the_lock_stores_variables(monkeypatch):
    # endpoints.production.yml's lock store reads REDIS_HOST and REDIS_PORT (database 1);
    # the channels take database 0 of the same server.
    _without_redis(monkeypatch)
    monkeypatch.setenv("REDIS_HOST", "redis.internal")
    assert load_settings().redis_url == "redis://redis.internal:6379/0"
    monkeypatch.setenv("REDIS_PORT", "6380")
    monkeypatch.setenv("REDIS_DB", "4")
    monkeypatch.setenv("REDIS_PASSWORD", "p@ss/word")
    assert load_settings().redis_url == "redis://:p%40ss%2Fword@redis.internal:6380/4"
    assert "p@ss" not in repr(load_settings())


def test_the_local_sandbox_switch_in_production(monkeypatch):
    monkeypatch.setenv("ALLOW_LOCAL_AGENCY_SANDBOX", "1")
    settings = dataclasses.replace(load_settings(), environment="production")
    assert settings.allow_local_agency_sandbox
    # The sandbox on this machine, with its made-up credentials: a local cluster.
    check_production_credentials(
        dataclasses.replace(settings, agency_api_url="http://127.0.0.1:8088")
    )
    # Never with a real agency: the switch must not hide made-up credentials there.
    with pytest.raises(UnsafeAgencyConfiguration, match="ALLOW_LOCAL_AGENCY_SANDBOX"):
        check_production_credentials(
            dataclasses.replace(settings, agency_api_url="https://api.vdab.be")
        )
    monkeypatch.setenv("ALLOW_LOCAL_AGENCY_SANDBOX", "0")
    assert not load_settings().allow_local_agency_sandbox

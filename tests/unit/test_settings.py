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

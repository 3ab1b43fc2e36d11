"""The channel's configuration: environment first, credentials.yml overrides (no network)."""

from __future__ import annotations

from channels.telegram.config import TelegramConfig

TOKEN = "7000000001:AAE-test_token-for_the_fake_bot_api"
SECRET = "test-webhook_secret-0123456789"
PUBLIC_URL = "https://assistant.example.be"


def test_configuration_comes_from_the_environment_and_credentials_override_it():
    environ = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_PUBLIC_URL": PUBLIC_URL + "/",
    }
    config = TelegramConfig.load(None, environ)
    assert config.mode == "webhook"
    assert config.webhook_url == PUBLIC_URL + "/webhooks/telegram/webhook"
    assert config.api_base_url == "https://api.telegram.org/bot"
    assert TOKEN not in repr(config) and SECRET not in repr(config)
    polling = TelegramConfig.load(
        {"public_url": "", "poll_timeout": 5}, {"TELEGRAM_BOT_TOKEN": "1"}
    )
    assert (polling.mode, polling.poll_timeout) == ("polling", 5)
    overridden = TelegramConfig.load({"api_base_url": "http://127.0.0.1:1/bot"}, environ)
    assert overridden.api_base_url == "http://127.0.0.1:1/bot"
    assert TelegramConfig.load(None, {}).mode == "off"
    assert not TelegramConfig.load(None, {"TELEGRAM_WEBHOOK_SECRET": "bad secret!"}).secret_is_valid


def test_the_file_url_follows_the_api_url():
    assert TelegramConfig().api_file_url == "https://api.telegram.org/file/bot"
    local = TelegramConfig(api_base_url="http://127.0.0.1:8081/bot")
    assert local.api_file_url == "http://127.0.0.1:8081/file/bot"
    assert TelegramConfig(api_base_url="http://proxy/tg").api_file_url == "http://proxy/tg"


def test_a_full_webhook_url_and_a_bad_timeout_are_tolerated():
    config = TelegramConfig.load(
        {"public_url": PUBLIC_URL + "/webhooks/telegram/webhook", "poll_timeout": "-3"},
        {"TELEGRAM_BOT_TOKEN": TOKEN},
    )
    assert config.webhook_url == PUBLIC_URL + "/webhooks/telegram/webhook"
    assert config.poll_timeout == 30

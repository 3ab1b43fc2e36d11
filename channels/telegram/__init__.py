"""Telegram channel for Rasa, built on python-telegram-bot's `Application`.

Configured through the environment so credentials.yml never holds a secret:

- ``TELEGRAM_BOT_TOKEN``: without it the channel is off (the webhook answers 503).
- ``TELEGRAM_WEBHOOK_SECRET``: checked on every webhook call (header
  ``X-Telegram-Bot-Api-Secret-Token``) and given to setWebhook.
- ``TELEGRAM_PUBLIC_URL``: the server's public base URL; when set, the channel calls
  setWebhook at start (webhook mode), otherwise it long-polls getUpdates (polling mode).
- ``TELEGRAM_API_BASE_URL``: the Bot API (default Telegram's); tests point it at a fake.
- ``TELEGRAM_POLL_TIMEOUT``: seconds one getUpdates call may wait (default 30).

A key of the same name without the prefix in credentials.yml (``bot_token``,
``webhook_secret``, ...) overrides the variable. The conversation id is the chat id.
Polling runs inside the Rasa server: use webhook mode with more than one Sanic worker.

Modules: `input_channel` (Rasa's side: webhook route, start/stop hooks), `application`
(python-telegram-bot's Application and its handlers: `commands`, `buttons`, `messages`,
`errors`), `lifecycle`, `ordering` (one chat in order), `duplicates`, `rasa_bridge`,
`output` (sending), `texts` (from the locale files), `config`.
"""

from channels.telegram.input_channel import TelegramInput

__all__ = ["TelegramInput"]

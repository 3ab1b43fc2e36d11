"""The web widget channel: serves the widget's files, its texts and a demo page.

The widget itself talks to the socket.io channel (`channels.webchat.WebchatSocketIO` in
credentials.yml, socketio_channel.py); this channel delivers what an agency's page loads:

    /webhooks/webchat/                the demo page (index.html)
    /webhooks/webchat/widget.js       the widget (one script tag on any page)
    /webhooks/webchat/widget.css      its style sheet (loaded by widget.js)
    /webhooks/webchat/texts/nl.json   its words in one language (texts.py)
    /webhooks/webchat/vendor/...      the vendored socket.io client and its licence

This module only wires routes; static_files.py decides which files exist, texts.py what the
widget says, http_cache.py how both are sent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.i18n.catalog import Catalog, get_catalog
from bot.settings import load_settings
from channels.webchat.http_cache import not_found
from channels.webchat.static_files import INDEX, STATIC_DIR, serve_file, static_files
from channels.webchat.texts import WidgetTexts, language_of, serve_texts


class WebchatInput(InputChannel):
    """Serves the web widget; messages go through the socket.io channel, not this one."""

    def __init__(
        self,
        static_dir: Path = STATIC_DIR,
        catalog: Catalog | None = None,
        allowed_origins: Collection[str] | None = None,
    ) -> None:
        self.static_dir = static_dir
        self.catalog = catalog
        # Sites whose pages may read the texts (ALLOWED_ORIGINS unless given).
        self.allowed_origins = allowed_origins

    @classmethod
    def name(cls) -> str:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WebchatInput:
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        files = static_files(self.static_dir)
        texts = WidgetTexts(self.catalog or get_catalog())
        origins = self.allowed_origins
        allowed = frozenset(load_settings().allowed_origins if origins is None else origins)
        blueprint = Blueprint("webchat", __name__)

        @blueprint.route("/", methods=["GET", "HEAD"])
        async def index(request: Request) -> HTTPResponse:
            item = files.get(INDEX)
            return serve_file(request, item) if item else not_found()

        @blueprint.route("/texts/<file_name>", methods=["GET", "HEAD"])
        async def widget_texts(request: Request, file_name: str) -> HTTPResponse:
            language = language_of(file_name)
            body = texts.body(language) if language else None
            return serve_texts(request, body, allowed) if body else not_found()

        @blueprint.route("/<name:path>", methods=["GET", "HEAD"])
        async def asset(request: Request, name: str) -> HTTPResponse:
            # A table look-up, never a path join: nothing outside static/ can be named.
            # Sanic routes "/webhooks/webchat/" here with an empty name: the demo page.
            item = files.get(name or INDEX)
            return serve_file(request, item) if item else not_found()

        return blueprint

"""The web widget channel: serves the widget's files, its texts and a demo page.

The widget itself talks to Rasa's built-in socket.io channel (`socketio:` in credentials.yml);
this channel delivers what an agency's page loads (and, at start-up, repairs that channel's
session persistence: see socketio_session.py):

    /webhooks/webchat/                the demo page (index.html)
    /webhooks/webchat/widget.js       the widget (one script tag on any page)
    /webhooks/webchat/widget.css      its style sheet (loaded by widget.js)
    /webhooks/webchat/texts/nl.json   its words in one language (texts.py)
    /webhooks/webchat/vendor/...      the vendored socket.io client and its licence

This module only wires routes; static_files.py decides which files exist, texts.py what the
widget says, http_cache.py how both are sent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, Sanic
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.i18n.catalog import Catalog, get_catalog
from channels.webchat.http_cache import not_found
from channels.webchat.socketio_session import repair_session_request
from channels.webchat.static_files import INDEX, STATIC_DIR, serve_file, static_files
from channels.webchat.texts import WidgetTexts, language_of, serve_texts


class WebchatInput(InputChannel):
    """Serves the web widget; messages go through Rasa's socket.io channel, not this one."""

    def __init__(self, static_dir: Path = STATIC_DIR, catalog: Catalog | None = None) -> None:
        self.static_dir = static_dir
        self.catalog = catalog

    @classmethod
    def name(cls) -> str:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WebchatInput:
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        files = static_files(self.static_dir)
        texts = WidgetTexts(self.catalog or get_catalog())
        blueprint = Blueprint("webchat", __name__)

        @blueprint.listener("before_server_start")
        async def repair_socketio(app: Sanic, _loop: Any) -> None:
            # The widget needs the socket.io channel's session persistence; see the module.
            repair_session_request(getattr(app.ctx, "input_channels", None) or [])

        @blueprint.route("/", methods=["GET", "HEAD"])
        async def index(request: Request) -> HTTPResponse:
            item = files.get(INDEX)
            return serve_file(request, item) if item else not_found()

        @blueprint.route("/texts/<file_name>", methods=["GET", "HEAD"])
        async def widget_texts(request: Request, file_name: str) -> HTTPResponse:
            language = language_of(file_name)
            body = texts.body(language) if language else None
            return serve_texts(request, body) if body else not_found()

        @blueprint.route("/<name:path>", methods=["GET", "HEAD"])
        async def asset(request: Request, name: str) -> HTTPResponse:
            # A table look-up, never a path join: nothing outside static/ can be named.
            # Sanic routes "/webhooks/webchat/" here with an empty name: the demo page.
            item = files.get(name or INDEX)
            return serve_file(request, item) if item else not_found()

        return blueprint

"""Placeholder until the widget lands: serves /webhooks/webchat/."""

from __future__ import annotations

from typing import Any

from rasa.core.channels.channel import InputChannel
from sanic import Blueprint, response


class WebchatInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WebchatInput:
        return cls()

    def blueprint(self, on_new_message):
        blueprint = Blueprint("webchat", __name__)

        @blueprint.route("/", methods=["GET"])
        async def index(_request):
            return response.text("The web widget is not built yet.")

        return blueprint

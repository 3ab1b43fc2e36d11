"""The assistant's messages to the widget: Rasa's socket.io output, with a safe custom JSON.

Rasa's `SocketIOOutput` emits every message to the room named by the recipient, which is
the conversation id `web:<id>`: the widget's sockets of that session are in that room
(see socketio_channel.py), so replies, and messages a counsellor sends later through
Rasa's API, reach exactly them.

Only custom JSON is sent differently. Rasa passes its keys to `emit` as arguments
(`{"data": {...}}` is the event's data, `{"room": ...}` another room, any other key a
TypeError). Here the custom JSON *is* the event's data, so an action's
`json_message={"clear_conversation": True}` arrives in the widget as the `bot_uttered`
event `{"clear_conversation": true}`; Rasa's own shape `{"data": {...}}` gives the same.
The room is always the recipient's: a message can never be sent to another conversation.
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.socketio import SocketIOOutput


def custom_event_data(json_message: dict[str, Any]) -> Any:
    """What the widget receives for an action's custom JSON."""
    if set(json_message) <= {"data", "room", "to", "namespace"} and "data" in json_message:
        return json_message["data"]  # Rasa's socket.io shape: the emit's arguments
    return json_message


class WebchatSocketIOOutput(SocketIOOutput):
    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        await self._send_message(recipient_id, custom_event_data(json_message))

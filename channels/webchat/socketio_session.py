"""Makes `session_persistence: true` of Rasa's built-in socket.io channel work again.

Rasa 3.6's `SocketIOInput` answers `session_request` with `sio.enter_room(sid, session_id)`
and no `await`. Since python-socketio 5.10 `AsyncServer.enter_room` is a coroutine, so the
socket never joins the room named after the session, and every reply, which Rasa emits to
that room, reaches nobody (https://github.com/RasaHQ/rasa/issues/13027; python-socketio
warns "coroutine 'AsyncServer.enter_room' was never awaited").

`repair_session_request` re-registers the same handler with the `await`, on the very server
object of the built-in channel: same events, same session ids, same rooms. It changes
nothing when the installed python-socketio still has a plain `enter_room`, and it is applied
once, before the server accepts connections (see `WebchatInput.blueprint`).
"""

from __future__ import annotations

import inspect
import logging
import uuid
from collections.abc import Iterable
from typing import Any

from rasa.core.channels.socketio import SocketIOInput
from socketio import AsyncServer

logger = logging.getLogger(__name__)

_REPAIRED = "_webchat_session_request_repaired"


def enter_room_is_coroutine(sio: AsyncServer) -> bool:
    return inspect.iscoroutinefunction(sio.enter_room)


def repair_session_request(channels: Iterable[Any]) -> int:
    """Fix the `session_request` handler of every socket.io input channel; returns how many."""
    repaired = 0
    for channel in channels:
        if not isinstance(channel, SocketIOInput) or channel.sio is None:
            continue
        sio = channel.sio
        if getattr(sio, _REPAIRED, False) or not enter_room_is_coroutine(sio):
            continue
        _register(sio, channel.namespace, bool(channel.session_persistence))
        setattr(sio, _REPAIRED, True)
        repaired += 1
        logger.info("socket.io session_request: awaiting enter_room (RasaHQ/rasa#13027)")
    return repaired


def _register(sio: AsyncServer, namespace: str | None, session_persistence: bool) -> None:
    async def session_request(sid: str, data: dict[str, Any] | None) -> None:
        # Same behaviour as rasa.core.channels.socketio, with the missing `await`.
        if not isinstance(data, dict):
            data = {}
        if not data.get("session_id"):
            data["session_id"] = uuid.uuid4().hex
        if session_persistence:
            await sio.enter_room(sid, data["session_id"], namespace=namespace)
        await sio.emit("session_confirm", data["session_id"], room=sid, namespace=namespace)

    # Replaces the handler Rasa registered for this event and namespace.
    sio.on("session_request", session_request, namespace=namespace)

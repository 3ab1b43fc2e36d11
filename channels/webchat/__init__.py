"""The web widget channels: the widget's files, texts and demo page (`WebchatInput`), and
its socket.io transport with signed sessions (`WebchatSocketIO`)."""

from channels.webchat.channel import WebchatInput
from channels.webchat.socketio_channel import WebchatSocketIO

__all__ = ["WebchatInput", "WebchatSocketIO"]

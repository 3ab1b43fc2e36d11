"""The web widget channel: serves the widget's files, its texts and a demo page."""

from channels.webchat.channel import WebchatInput

__all__ = ["WebchatInput"]

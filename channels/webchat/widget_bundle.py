"""widget.js, joined from the files of channels/webchat/widget/ when it is served.

Agencies embed the widget with one script tag, so it is served as one plain file: no
bundler, no modules. Its source is split by job into channels/webchat/widget/*.js: plain
browser JavaScript without import or export, sharing one scope, the function `render`
wraps around them (with "use strict" and the header below). They are joined in the order
of SOURCES; a file of the folder missing from SOURCES (or the other way round) is an error.
Nothing generated is committed: the served file is always the sources of this checkout.
"""

from __future__ import annotations

from pathlib import Path

SOURCE_DIR = Path(__file__).resolve().parent / "widget"

# The order in widget.js. config.js first (it stops a second copy of the widget), main.js
# last (it starts the widget); in between, what each file defines is only used once
# main.js runs, so the order is for the reader: helpers, the Widget, then its parts.
SOURCES = (
    "config.js",
    "colours.js",
    "dom.js",
    "core.js",
    "storage.js",
    "texts.js",
    "ui_shell.js",
    "ui_launcher.js",
    "ui_header.js",
    "ui_languages.js",
    "ui_text_size.js",
    "ui_conversation.js",
    "messages.js",
    "buttons.js",
    "ui_composer.js",
    "accessibility.js",
    "conversation.js",
    "forget.js",
    "connection.js",
    "transport.js",
    "main.js",
)

HEADER = """/*!
 * Jobseeker assistant – web chat widget (nl / fr / en).
 * Plain JavaScript, no framework, one file to embed. Served by channels/webchat/channel.py.
 *
 * Add it to any page with one tag (all data-* attributes are optional):
 *
 *   <script src="https://assistant.example.be/webhooks/webchat/widget.js"
 *           data-server-url="https://assistant.example.be"
 *           data-language="nl" data-primary-color="#005ea5" defer></script>
 *
 * or set `window.JobseekerChat = { serverUrl, language, primaryColor, ... }` before the tag
 * (an attribute on the tag wins over the same key in the object). Options:
 *
 *   serverUrl     the Rasa server (default: where widget.js comes from)
 *   language      first interface language, nl | fr | en (default: the page's <html lang>)
 *   primaryColor  brand colour; darkened automatically until white text on it is readable
 *   container     CSS selector: show the chat inside this element instead of a floating button
 *   open          "true": open the chat when the page loads
 *   dir           "rtl" | "ltr" (default: the page's direction)
 *   title         heading of the chat window (default: a text in the interface language)
 *   socketPath    socket.io path on the server (default "/socket.io")
 *   initPayload   sent, unseen, when a new conversation starts (default "/greet"; "" = none)
 *   persist       "local": keep the conversation in localStorage, so that it survives closing
 *                 the browser (for an agency's own devices); default: sessionStorage, which
 *                 the browser empties when the tab is closed (shared computers)
 *   idleMinutes   a conversation unused for this many minutes (default 30) is forgotten on
 *                 this device, with its session, and a new one starts
 *
 * It talks to the server's socket.io channel (channels/webchat/socketio_channel.py):
 * `session_request` / `session_confirm` give it a session id signed by the server (kept with
 * the conversation), `user_uttered` carries the citizen's messages and `bot_uttered` the
 * assistant's. The conversation, the unsent messages, the language, the text size and
 * whether the chat is open are kept in sessionStorage (or localStorage, see persist), so a
 * reload or a dropped connection loses nothing. "Stop and clear", an idle conversation, or
 * the assistant's `{"clear_conversation": true}` (after "delete my data") forget the
 * messages and the session on this device. Its own words (buttons, labels, status) are
 * not in this file: it loads them from texts/<lang>.json next to it (bot/i18n/locales).
 */
"""

OPENING = '(function () {\n  "use strict";\n'
CLOSING = "})();\n"
INDENT = "  "


def _section(name: str) -> str:
    """A source file inside the wrapping function: a marker line, then its lines indented."""
    text = (SOURCE_DIR / name).read_text(encoding="utf-8")
    lines = [INDENT + line if line.strip() else "" for line in text.rstrip("\n").split("\n")]
    marker = f"{INDENT}// {'-' * 64} {name}"
    return "\n" + marker + "\n" + "\n".join(lines) + "\n"


def render() -> str:
    """widget.js as agencies embed it: the sources, in order, inside one function."""
    found = {path.name for path in SOURCE_DIR.glob("*.js")}
    if found != set(SOURCES):
        raise ValueError(
            f"the files of {SOURCE_DIR} and SOURCES differ: "
            f"not listed {sorted(found - set(SOURCES))}, missing {sorted(set(SOURCES) - found)}"
        )
    return HEADER + OPENING + "".join(map(_section, SOURCES)) + CLOSING

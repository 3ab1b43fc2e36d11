"""What every channel does to a citizen's text before Rasa sees it.

- A lone surrogate (`"\\ud800"`, valid JSON but not Unicode text) becomes U+FFFD: the
  sentence encoder and the database cannot encode it.
- Text beyond MAX_MESSAGE_CHARS is cut. Nobody types more into a chat, and the NLU's
  memory grows with the square of a message's length: one message of a megabyte made
  the Rasa server run out of memory (found by the fuzz run, tests/fuzz/). The forms
  still tell the citizen when an answer is too long.
"""

from __future__ import annotations

import re

MAX_MESSAGE_CHARS = 5_000
_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_unicode(text: str) -> str:
    """`text` with each lone surrogate replaced by U+FFFD (the rest unchanged)."""
    return _SURROGATE.sub("\ufffd", text)


def clean_message_text(text: str) -> str:
    return valid_unicode(text[:MAX_MESSAGE_CHARS])

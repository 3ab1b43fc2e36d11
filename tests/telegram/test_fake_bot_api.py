"""The fake Bot API itself: it must refuse what Telegram refuses, or the tests prove nothing."""

from __future__ import annotations

import pytest

from tests.telegram.fake_bot_api import parse_html


def test_the_fake_refuses_broken_html_like_telegram():
    with pytest.raises(Exception, match="can't parse entities"):
        parse_html("<b>Jan")
    with pytest.raises(Exception, match="can't parse entities"):
        parse_html("5 < 6")
    assert parse_html("<b>Jan</b> &amp; &lt;Piet&gt;") == "Jan & <Piet>"

"""Which language the citizen asks for, when a message names more than one."""

from __future__ import annotations

import re

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.common import say
from actions.language import ActionSwitchLanguage, requested_language
from bot.i18n.catalog import get_catalog
from bot.settings import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from tests.unit.actions.trackers import DOMAIN, tracker

CATALOG = get_catalog()
NAMES = {
    "nl": r"n[ée]erlandais|flamand|dutch|nederlands",
    "fr": r"fran[çc]ais|frans|french",
    "en": r"anglais|english|engels",
}


def _named(text: str) -> list[dict]:
    """The language entities the NLU reports for `text`, with their positions."""
    found = []
    for code, pattern in NAMES.items():
        for match in re.finditer(pattern, text, re.IGNORECASE):
            found.append(
                {"entity": "language", "value": code, "start": match.start(), "end": match.end()}
            )
    return sorted(found, key=lambda item: item["start"])


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("je comprends pas le néerlandais, en français svp", "fr"),
        ("pas en néerlandais, en français", "fr"),
        ("français pas anglais", "fr"),
        ("je parle pas bien français, anglais possible ?", "en"),
        ("i dont speak dutch, english please", "en"),
        ("ik versta geen frans, engels aub", "en"),
        ("pourquoi c'est en néerlandais ? je veux en français", "fr"),
        ("kunnen we verder in het frans", "fr"),
        ("nee, in het frans aub", "fr"),
    ],
)
def test_the_wanted_language_is_the_last_one_named_that_is_not_refused(text, wanted):
    current = tracker(text, "switch_language", entities=_named(text), form=None)
    assert requested_language(current) == wanted


def test_a_button_without_positions_gives_its_language():
    current = tracker(
        '/switch_language{"language": "fr"}',
        "switch_language",
        entities=[{"entity": "language", "value": "fr"}],
        form=None,
    )
    assert requested_language(current) == "fr"


async def test_only_a_refused_language_gets_the_language_buttons_not_a_switch():
    text = "ik spreek geen nederlands"
    current = tracker(text, "switch_language", entities=_named(text), form=None, language="nl")
    dispatcher = CollectingDispatcher()

    events = await ActionSwitchLanguage().run(dispatcher, current, DOMAIN)

    assert events == []
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert payloads == [f'/switch_language{{"language": "{c}"}}' for c in ("nl", "fr", "en")]


def test_before_any_language_is_known_every_answer_offers_the_languages():
    current = tracker(
        "i want register as jobseeker",
        "register_jobseeker",
        form=None,
        language=None,
        detected_language=None,
    )
    dispatcher = CollectingDispatcher()

    say(dispatcher, current, "utter_ask_national_number")

    message = dispatcher.messages[0]
    assert message["text"] == CATALOG.text("utter_ask_national_number", DEFAULT_LANGUAGE)
    assert [b["payload"] for b in message["buttons"]] == [
        f'/switch_language{{"language": "{code}"}}' for code in SUPPORTED_LANGUAGES
    ]


def test_once_the_language_is_known_no_language_buttons_are_added():
    current = tracker("ik wil mij inschrijven", "register_jobseeker", form=None, language="fr")
    dispatcher = CollectingDispatcher()

    say(dispatcher, current, "utter_ask_national_number")

    assert dispatcher.messages[0]["text"] == CATALOG.text("utter_ask_national_number", "fr")
    assert not dispatcher.messages[0]["buttons"]

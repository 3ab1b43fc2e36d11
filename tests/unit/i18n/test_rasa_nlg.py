"""The in-process NLG renders what the action server's /nlg renders, without a round trip."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rasa.core.nlg import NaturalLanguageGenerator
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from bot.i18n.nlg import respond
from bot.i18n.rasa_nlg import CatalogNaturalLanguageGenerator
from bot.settings import PROJECT_ROOT

DOMAIN = Domain.load(str(PROJECT_ROOT / "domain.yml"))


def tracker_with(**slots: str) -> DialogueStateTracker:
    events = [SlotSet(name, value) for name, value in slots.items()]
    return DialogueStateTracker.from_events("rest:nlg", events, DOMAIN.slots)


@pytest.mark.parametrize("endpoints_file", ["endpoints.yml", "endpoints.production.yml"])
def test_rasa_builds_it_from_the_endpoints(endpoints_file: str, monkeypatch) -> None:
    text = (Path(PROJECT_ROOT) / endpoints_file).read_text()
    for name in re.findall(r"\$\{(\w+)\}", text):
        monkeypatch.setenv(name, "5432")
    endpoints = AvailableEndpoints.read_endpoints(str(Path(PROJECT_ROOT) / endpoints_file))
    generator = NaturalLanguageGenerator.create(endpoints.nlg, DOMAIN)
    assert isinstance(generator, CatalogNaturalLanguageGenerator)


@pytest.mark.parametrize(
    ("slots", "response", "arguments"),
    [
        ({"language": "nl"}, "utter_ask_given_name", {}),
        ({"language": "fr"}, "utter_ask_given_name", {}),
        ({"detected_language": "en"}, "utter_help", {}),
        ({}, "utter_greet", {}),
        ({"language": "en"}, "utter_registration_done", {"agency": "VDAB", "reference": "JS-1"}),
        ({"language": "nl", "given_name": "Daan"}, "utter_goodbye", {}),
        ({"language": "en"}, "utter_no_such_response", {}),
    ],
)
async def test_it_renders_what_the_http_endpoint_renders(
    slots: dict[str, str], response: str, arguments: dict[str, str]
) -> None:
    tracker = tracker_with(**slots)
    rendered = await CatalogNaturalLanguageGenerator().generate(
        response, tracker, "rest", **arguments
    )
    over_http = respond(
        {"response": response, "arguments": arguments, "tracker": tracker.current_state()}
    )
    assert rendered == over_http
    assert rendered["text"] or response == "utter_no_such_response"


async def test_it_speaks_the_conversations_language() -> None:
    generator = CatalogNaturalLanguageGenerator()
    dutch = await generator.generate("utter_ask_given_name", tracker_with(language="nl"), "rest")
    french = await generator.generate("utter_ask_given_name", tracker_with(language="fr"), "rest")
    assert dutch["text"] != french["text"]

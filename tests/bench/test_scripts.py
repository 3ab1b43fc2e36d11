"""The simulated citizens follow the assistant's questions to the end (a fake assistant
that asks what the real forms ask, in the locale files' words), and a conversation that
does not end with the reference is incomplete."""

from __future__ import annotations

import json
import re

import pytest

from bot.i18n.buttons import intent
from bot.ops.bench.citizens import DOCUMENT, REGISTRATION, CitizenFactory
from bot.ops.bench.load import uses_socketio
from bot.ops.bench.scripts import (
    BARE_GOODBYE,
    BareScenario,
    CitizenConversation,
    Incomplete,
    Talk,
    cues_for,
)
from bot.ops.bench.transports import Message
from bot.tasks.fields import REGISTRATION_SLOTS
from bot.validators import validate_national_number
from tests.support import t

PAYLOAD = re.compile(r"^/(\w+)(\{.*\})?$")


class FakeAssistant:
    """Asks the form's questions in order and checks the answers' shape."""

    def __init__(self, language: str, task: str, repeat: str | None = None) -> None:
        self.language = language
        self.task = task
        self.repeat = repeat  # a question asked again whatever the answer
        self.queue: list[str] = []
        self.said: list[str] = []
        self.reference = "JS-7K2M9QXA" if task == REGISTRATION else "DR-4TQ8ZP1M"

    def _t(self, key: str, **values) -> Message:
        return Message(t(key, self.language, **values))

    async def send(self, text: str) -> tuple[list[Message], float]:
        self.said.append(text)
        return self.answer(text), 0.01

    def answer(self, text: str) -> list[Message]:
        lang = self.language
        if len(self.said) == 1:
            return [Message("Kies uw taal / Choisissez / Choose", [("English", "x")])]
        if text == intent("switch_language", language=lang):
            return [self._t("utter_language_switched")]
        if len(self.said) == 3:
            self.queue = (
                [*REGISTRATION_SLOTS, "summary"]
                if self.task == REGISTRATION
                else ["document_type", "national_number", "delivery", "summary"]
            )
            return [self._ask(self.queue[0])]
        if self.queue:
            asked = self.queue[0]
            self._check(asked, text)
            if asked != self.repeat:
                self.queue.pop(0)
                if asked == "delivery" and '"email"' in text:
                    self.queue.insert(0, "email")
            if self.queue:
                return [self._ask(self.queue[0])]
            key = "utter_registration_done" if self.task == REGISTRATION else "utter_document_done"
            return [
                self._t(key, agency="VDAB", reference=self.reference, expected_days=5),
                self._t("utter_anything_else"),
            ]
        if self.reference in text:
            return [self._t("utter_status_document", reference=self.reference, status="ok")]
        return [self._t("utter_not_understood")]

    def _ask(self, slot: str) -> Message:
        if slot == "summary":
            key = (
                "utter_registration_summary"
                if self.task == REGISTRATION
                else ("utter_document_summary")
            )
            return self._t(key, given_name="Jan", family_name="Peeters")
        return self._t(f"utter_ask_{slot}")

    def _check(self, slot: str, text: str) -> None:
        if slot == "national_number":
            assert validate_national_number(text).value, text
        if slot in ("education_level", "document_type", "delivery"):
            name, entities = PAYLOAD.match(text).groups()
            assert name == "inform" and slot in json.loads(entities), text

    channel = "fake"

    async def open(self) -> None: ...

    async def close(self) -> None: ...


def _citizens(task: str):
    factory = CitizenFactory(11)
    return [c for c in (factory.make(i) for i in range(60)) if c.task == task]


@pytest.mark.parametrize("citizen", _citizens(REGISTRATION)[:12], ids=lambda c: str(c.index))
async def test_a_registration_is_held_to_its_reference(citizen):
    fake = FakeAssistant(citizen.language, REGISTRATION)
    talk = Talk(fake)
    await CitizenConversation(citizen).play(talk)
    assert len(talk.latencies) == len(fake.said) == 13
    assert fake.said[1] == intent("switch_language", language=citizen.language)


@pytest.mark.parametrize("citizen", _citizens(DOCUMENT)[:9], ids=lambda c: str(c.index))
async def test_a_document_request_ends_with_its_status(citizen):
    fake = FakeAssistant(citizen.language, DOCUMENT)
    await CitizenConversation(citizen).play(Talk(fake))
    assert fake.reference in fake.said[-1]
    assert len(fake.said) == (9 if citizen.delivery == "email" else 8)


async def test_a_question_asked_again_and_again_makes_the_conversation_incomplete():
    citizen = _citizens(REGISTRATION)[0]
    fake = FakeAssistant(citizen.language, REGISTRATION, repeat="birth_date")
    with pytest.raises(Incomplete, match="asked three times: birth_date"):
        await CitizenConversation(citizen).play(Talk(fake))


async def test_an_answer_that_is_no_question_makes_the_conversation_incomplete():
    citizen = _citizens(REGISTRATION)[0]
    fake = FakeAssistant(citizen.language, REGISTRATION)
    fake.answer = lambda text: [Message("?")]  # type: ignore[method-assign]
    with pytest.raises(Incomplete, match="no question recognised"):
        await CitizenConversation(citizen).play(Talk(fake))


def test_the_question_cues_exist_in_every_language():
    for language in ("nl", "fr", "en"):
        cues = cues_for(language)
        assert len(cues.questions) == 13 and all(cues.questions.values())
        assert cues.asked(t("utter_ask_postcode", language)) == "postcode"
        assert all(cues.done.values())


def test_bare_conversations_are_about_as_long_as_ours_and_end_with_goodbye():
    scenario = BareScenario(3)
    lengths = [len(scenario.conversation(i).texts) for i in range(50)]
    assert min(lengths) >= 11 and max(lengths) <= 14
    assert scenario.conversation(4).texts == BareScenario(3).conversation(4).texts
    assert BARE_GOODBYE == "Bye"


@pytest.mark.parametrize("share", [0.0, 0.2, 0.25, 0.5, 1.0])
def test_the_socketio_share_is_kept_from_the_first_conversation(share):
    chosen = [uses_socketio(n, share) for n in range(100)]
    assert sum(chosen) == round(100 * share)
    assert chosen[0] == (share > 0)

"""Whole conversations, as the simulated citizens hold them, for both assistants.

This project (`OurScenario`): a citizen says hello, taps their language, asks for their
task, then answers whatever the assistant asks (recognised from the question texts of
bot/i18n/locales/<lang>.yml, so a flow that skips or repeats a question is followed as a
person would), confirms the summary, and:
- registration: is complete when the assistant says the registration is done with a
  reference JS-...;
- document request: is complete when it says the request is sent with a reference
  DR-..., and the citizen then asks where that request stands and is told (one more
  turn, the status action reading the agency).
Anything else (a question asked three times, no recognisable question, a queued Q-
reference because the agency did not answer in time, more than MAX_TURNS turns) makes
the conversation incomplete.

The bare Rasa assistant (`BareScenario`, `rasa init`'s moodbot): its own happy and sad
paths (greet, mood great / unhappy, yes / no, "are you a bot?") strung together to about
the same number of turns as ours, ending with goodbye; complete when the last answer is
its goodbye ("Bye").
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Protocol

from bot.i18n.buttons import intent
from bot.i18n.catalog import get_catalog
from bot.ops.bench.citizens import (
    DOCUMENT,
    REGISTRATION,
    STATUS_QUESTIONS,
    Citizen,
    CitizenFactory,
)
from bot.ops.bench.transports import Message, Transport

MAX_TURNS = 25
REFERENCE = re.compile(r"\b(JS|DR|Q)-[0-9A-Z]{4,}\b")
TASK_PAYLOADS = {REGISTRATION: "/register_jobseeker", DOCUMENT: "/request_document"}
QUESTION_KEYS = {
    "national_number": "utter_ask_national_number",
    "given_name": "utter_ask_given_name",
    "family_name": "utter_ask_family_name",
    "birth_date": "utter_ask_birth_date",
    "postcode": "utter_ask_postcode",
    "phone": "utter_ask_phone",
    "email": "utter_ask_email",
    "education_level": "utter_ask_education_level",
    "occupation": "utter_ask_occupation",
    "document_type": "utter_ask_document_type",
    "delivery": "utter_ask_delivery",
}
SUMMARY_KEYS = ("utter_registration_summary", "utter_document_summary")
DONE_KEYS = {REGISTRATION: "utter_registration_done", DOCUMENT: "utter_document_done"}
DONE_PREFIXES = {REGISTRATION: "JS-", DOCUMENT: "DR-"}


class Incomplete(Exception):
    """The conversation ended without what the citizen came for."""

    def __init__(self, reason: str, last_said: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.last_said = last_said


@dataclass
class Reply:
    messages: list[Message]

    @property
    def text(self) -> str:
        return "\n".join(m.text for m in self.messages if m.text)

    @property
    def payloads(self) -> list[str]:
        return [payload for m in self.messages for _, payload in m.buttons]


@dataclass
class Talk:
    """A conversation in progress over one transport: it keeps every turn's latency."""

    transport: Transport
    latencies: list[float] = field(default_factory=list)

    async def say(self, text: str) -> Reply:
        messages, seconds = await self.transport.send(text)
        self.latencies.append(seconds)
        return Reply(messages)


class Conversation(Protocol):
    kind: str
    language: str | None

    async def play(self, talk: Talk) -> None: ...


class Scenario(Protocol):
    name: str

    def conversation(self, index: int) -> Conversation: ...


# --- this project -----------------------------------------------------------------------


def _template_start(key: str, language: str) -> str:
    """The text of `key` up to its first placeholder (first line only), to recognise it."""
    marker = "\x00"
    catalog = get_catalog()
    names = catalog.placeholders(key, language)
    text = catalog.text(key, language, **dict.fromkeys(names, marker))
    return text.split(marker)[0].split("\n")[0].strip()


@dataclass(frozen=True)
class Cues:
    """What the assistant's messages look like in one language."""

    questions: dict[str, str]
    done: dict[str, str]

    def asked(self, text: str) -> str | None:
        """The question asked last in `text` (a slot name, or "confirm"), or None."""
        best, position = None, -1
        for slot, cue in self.questions.items():
            found = text.rfind(cue)
            if found > position:
                best, position = slot, found
        return best


@cache
def cues_for(language: str) -> Cues:
    catalog = get_catalog()
    questions = {slot: catalog.text(key, language) for slot, key in QUESTION_KEYS.items()}
    for key in SUMMARY_KEYS:
        questions[f"confirm:{key}"] = _template_start(key, language)
    done = {task: _template_start(key, language) for task, key in DONE_KEYS.items()}
    return Cues({k: v for k, v in questions.items() if v}, done)


def answer(citizen: Citizen, asked: str) -> str:
    """What `citizen` types (or which button they tap) for question `asked`."""
    if asked.startswith("confirm:"):
        return citizen.yes_text or intent("affirm")
    if asked == "email":
        return citizen.email or intent("deny")  # the "I have no e-mail" button
    if asked == "education_level":
        return intent("inform", education_level=citizen.education_level)
    if asked == "occupation":
        return citizen.occupation_text or intent("inform", occupation=citizen.occupation_button)
    if asked == "document_type":
        return intent("inform", document_type=citizen.document_type)
    if asked == "delivery":
        return intent("inform", delivery=citizen.delivery)
    typed = {
        "national_number": citizen.national_number_text,
        "given_name": citizen.given_name,
        "family_name": citizen.family_name,
        "birth_date": citizen.birth_date_text,
        "postcode": citizen.postcode,
        "phone": citizen.phone_text,
    }
    return typed[asked]


def finished(citizen: Citizen, reply: Reply, cues: Cues) -> str | None:
    """The reference when `reply` says the task is done; Incomplete when it ended otherwise."""
    references = [m.group(0) for m in REFERENCE.finditer(reply.text)]
    if not references:
        return None
    wanted = [r for r in references if r.startswith(DONE_PREFIXES[citizen.task])]
    if wanted and cues.done[citizen.task] in reply.text:
        return wanted[-1]
    if any(r.startswith("Q-") for r in references):
        raise Incomplete("queued (the agency did not answer in time)", reply.text)
    raise Incomplete("a reference without the task being done", reply.text)


@dataclass
class CitizenConversation:
    citizen: Citizen

    @property
    def kind(self) -> str:
        return self.citizen.task

    @property
    def language(self) -> str:
        return self.citizen.language

    async def play(self, talk: Talk) -> None:
        citizen = self.citizen
        cues = cues_for(citizen.language)
        reply = await talk.say(citizen.greeting)
        # The first message offers the languages as buttons; the citizen taps theirs.
        reply = await talk.say(intent("switch_language", language=citizen.language))
        reply = await talk.say(citizen.opener)
        task_button_tapped = citizen.opener.startswith("/")
        last_asked, repeats = None, 0
        while (reference := finished(citizen, reply, cues)) is None:
            asked = cues.asked(reply.text)
            if asked is None:
                if not task_button_tapped and TASK_PAYLOADS[citizen.task] in reply.payloads:
                    task_button_tapped = True  # not understood: the task's button instead
                    reply = await talk.say(TASK_PAYLOADS[citizen.task])
                    continue
                raise Incomplete("no question recognised", reply.text)
            repeats = repeats + 1 if asked == last_asked else 0
            if repeats >= 2:
                raise Incomplete(f"asked three times: {asked}", reply.text)
            if len(talk.latencies) >= MAX_TURNS:
                raise Incomplete(f"more than {MAX_TURNS} turns", reply.text)
            last_asked = asked
            reply = await talk.say(answer(citizen, asked))
        if citizen.task == DOCUMENT:
            question = STATUS_QUESTIONS[citizen.language].format(reference=reference)
            reply = await talk.say(question)
            if reference not in reply.text:
                raise Incomplete("the status answer does not name the request", reply.text)


class OurScenario:
    name = "ours"

    def __init__(self, seed: int = 2026) -> None:
        self.citizens = CitizenFactory(seed)

    def conversation(self, index: int) -> CitizenConversation:
        return CitizenConversation(self.citizens.make(index))


# --- the bare Rasa assistant -----------------------------------------------------------

BARE_PHRASES = {
    "greet": ("hey", "hello", "hi", "good morning", "hey there", "good evening"),
    "mood_great": ("perfect", "great", "amazing", "I am feeling very good", "wonderful"),
    "mood_unhappy": ("my day was horrible", "I am sad", "very bad", "sad", "I am disappointed"),
    "affirm": ("yes", "indeed", "of course", "that sounds good", "correct"),
    "deny": ("no", "never", "I don't think so", "no way", "not really"),
    "bot_challenge": ("are you a bot?", "am I talking to a bot?", "are you a human?"),
    "goodbye": ("bye", "goodbye", "see you around", "have a nice day"),
}
BARE_PATHS = (
    ("greet", "mood_great"),  # happy path
    ("greet", "mood_unhappy", "affirm"),  # sad path 1
    ("greet", "mood_unhappy", "deny"),  # sad path 2
    ("bot_challenge",),
)
BARE_GOODBYE = "Bye"
BARE_MIN_TURNS = 10


@dataclass
class BareConversation:
    texts: list[str]
    kind: str = "moodbot"
    language: str | None = None

    async def play(self, talk: Talk) -> None:
        reply = Reply([])
        for text in self.texts:
            reply = await talk.say(text)
        if BARE_GOODBYE not in reply.text:
            raise Incomplete("no goodbye at the end", reply.text)


class BareScenario:
    name = "bare"

    def __init__(self, seed: int = 2026) -> None:
        self.seed = seed

    def conversation(self, index: int) -> BareConversation:
        # bandit B311: Reproducible made-up test data, not a secret.
        rng = random.Random(self.seed * 1_000_003 + index)  # nosec B311
        intents: list[str] = []
        while len(intents) < BARE_MIN_TURNS:
            intents += rng.choice(BARE_PATHS)
        intents.append("goodbye")
        return BareConversation([rng.choice(BARE_PHRASES[name]) for name in intents])

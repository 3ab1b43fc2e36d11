"""No log file of the running assistant holds a citizen's personal data, even at DEBUG level.

The whole stack (sandbox, action server, Rasa, console) runs with LOG_LEVEL=DEBUG and
LOG_LEVEL_LIBRARIES=DEBUG, the Telegram channel on (against the fake Bot API). Nine
citizens register, one per language on each channel — REST, the widget's socket.io
(python-socketio's client, the widget's protocol) and Telegram (python-telegram-bot, over
the webhook and over getUpdates) — typing their national number, name, birth date, phone
and e-mail as a citizen would. Then every file of the stack's log directory is searched
for each value in every common spelling (personal_data_spellings.py): none may be there.
"""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import socketio

from tests.integration.personal_data_spellings import (
    date_spellings,
    email_spellings,
    find_leaks,
    name_spellings,
    national_number_spellings,
    phone_spellings,
)
from tests.support import Stack, rows, start_stack, t
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.helpers import SECRET, TOKEN, Citizen, Reply, TelegramStack

pytestmark = pytest.mark.integration

LANGUAGES = ("nl", "fr", "en")
CHANNELS = ("rest", "socketio", "telegram")
START = {
    "nl": "ik wil mij inschrijven als werkzoekende",
    "fr": "je voudrais m'inscrire comme demandeur d'emploi",
    "en": "i want to register as a jobseeker",
}
YES = {"nl": "ja dat klopt", "fr": "oui c'est correct", "en": "yes that is correct"}
POSTCODE = {"nl": "2000", "fr": "4000", "en": "1030"}
OCCUPATION = {"nl": "kok", "fr": "aide-soignante", "en": "warehouse worker"}


@dataclass(frozen=True)
class Person:
    """A citizen and what they type (`*_typed`), and how the assistant stores it."""

    channel: str
    language: str
    given_name: str
    family_name: str
    birth_date: date
    birth_date_typed: str
    serial: str
    phone_typed: str
    phone: str  # E.164, as the validators keep it
    email: str

    @property
    def national_number(self) -> str:
        base = f"{self.birth_date:%y%m%d}{self.serial}"
        return base + f"{97 - int(base) % 97:02}"

    @property
    def national_number_typed(self) -> str:
        n = self.national_number
        return f"{n[0:2]}.{n[2:4]}.{n[4:6]}-{n[6:9]}.{n[9:]}"

    def spellings(self) -> set[str]:
        return (
            national_number_spellings(self.national_number)
            | name_spellings(self.given_name, self.family_name)
            | date_spellings(self.birth_date)
            | phone_spellings(self.phone)
            | email_spellings(self.email)
        )


# Names no log would hold by chance; days and months of two digits (no short spelling).
PEOPLE = (
    Person("rest", "nl", "Wannes", "Vercauteren", date(1972, 11, 19), "19 november 1972",
           "123", "0471 23 45 67", "+32471234567", "wannes.vercauteren@telenet.be"),
    Person("rest", "fr", "Hélène", "Dubois-Lefèvre", date(1968, 10, 23), "23 octobre 1968",
           "214", "0485 55 66 77", "+32485556677", "helene.dubois@skynet.be"),
    Person("rest", "en", "Thaddeus", "Okonkwo", date(1979, 12, 14), "december 14 1979",
           "305", "+32 478 11 22 33", "+32478112233", "thaddeus.okonkwo@example.com"),
    Person("socketio", "nl", "Lieselot", "Vanhoutteghem", date(1985, 11, 27), "27/11/1985",
           "416", "0472/98.76.54", "+32472987654", "lieselot.vh@proximus.be"),
    Person("socketio", "fr", "Ségolène", "Mardaga", date(1990, 10, 12), "12 octobre 1990",
           "527", "0032 486 12 12 34", "+32486121234", "segolene.mardaga@gmail.com"),
    Person("socketio", "en", "Declan", "Fitzwilliam", date(1966, 12, 30), "30 december 1966",
           "638", "0479 44 55 66", "+32479445566", "declan.fitzwilliam@outlook.com"),
    Person("telegram", "nl", "Jorinde", "Verhaeghe", date(1974, 10, 17), "17-10-1974",
           "749", "0474 31 41 59", "+32474314159", "jorinde.verhaeghe@telenet.be"),
    Person("telegram", "fr", "Anaïs", "Delvigne", date(1988, 12, 21), "21 décembre 1988",
           "851", "+32 483 27 18 28", "+32483271828", "anais.delvigne@voo.be"),
    Person("telegram", "en", "Imogen", "Hartwell", date(1981, 11, 25), "25 november 1981",
           "962", "0476 16 18 03", "+32476161803", "imogen.hartwell@example.org"),
)  # fmt: skip


# --- the three channels, each giving the texts the citizen read after each message ---


def typed_steps(person: Person) -> list[tuple[str, str]]:
    """What the citizen sends on REST and in the widget (a button is its payload), and a
    text each answer must contain."""
    language = person.language
    return [
        (f'/switch_language{{"language": "{language}"}}', t("utter_language_switched", language)),
        (START[language], t("utter_ask_national_number", language)),
        (person.national_number_typed, t("utter_ask_given_name", language)),
        (person.given_name.lower(), t("utter_ask_family_name", language)),
        (person.family_name, t("utter_ask_birth_date", language)),
        (person.birth_date_typed, t("utter_ask_postcode", language)),
        (POSTCODE[language], t("utter_ask_phone", language)),
        (person.phone_typed, t("utter_ask_email", language)),
        (person.email, t("utter_ask_education_level", language)),
        ('/inform{"education_level": "secondary"}', t("utter_ask_occupation", language)),
        (OCCUPATION[language], person.family_name),  # the summary
        (YES[language], "JS-"),
    ]


def register_over_rest(stack: Stack, person: Person) -> str:
    chat = stack.chat(f"logs-{person.language}-{uuid.uuid4().hex[:8]}")
    said = ""
    for text, expected in typed_steps(person):
        said = chat.text(chat.send(text))
        assert expected in said, f"{text!r}: expected {expected!r}\n{chat.dump()}"
    return said


class WidgetCitizen:
    """The widget's protocol with python-socketio's client: session_request {session_id:
    null} → session_confirm(id); user_uttered {message, session_id} → bot_uttered."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.client = socketio.AsyncClient(reconnection=False)
        self.received: list[dict[str, Any]] = []
        self.session_id: str | None = None
        self.client.on("bot_uttered", self._on_bot_uttered)
        self.client.on("session_confirm", self._on_session_confirm)

    async def _on_bot_uttered(self, data: Any) -> None:
        self.received.append(data if isinstance(data, dict) else {"text": str(data)})

    async def _on_session_confirm(self, session_id: Any) -> None:
        self.session_id = str(session_id)

    async def open(self) -> None:
        # Long polling only: python-engineio 4.15's websocket needs aiohttp 3.10, the pinned
        # one is 3.9 (the messages are the same on both transports).
        await self.client.connect(
            self.url, socketio_path="/socket.io", transports=["polling"], wait_timeout=30
        )
        await self.client.emit("session_request", {"session_id": None})
        await self._until(lambda: self.session_id is not None, "session_confirm")

    async def say(self, text: str, expected: str, timeout: float = 90) -> str:
        self.received.clear()
        await self.client.emit("user_uttered", {"message": text, "session_id": self.session_id})
        await self._until(lambda: expected in self.text(), f"{expected!r} after {text!r}", timeout)
        count = -1
        while count != len(self.received):  # the rest of this turn
            count = len(self.received)
            await asyncio.sleep(0.5)
        return self.text()

    def text(self) -> str:
        return "\n".join(str(message.get("text") or "") for message in self.received)

    async def _until(self, condition: Any, what: str, timeout: float = 30) -> None:
        for _ in range(int(timeout / 0.05)):
            if condition():
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}; got {self.text()!r}")


def register_over_socketio(stack: Stack, person: Person) -> str:
    async def converse() -> str:
        citizen = WidgetCitizen(stack.rasa_url)
        await citizen.open()
        try:
            said = ""
            for text, expected in typed_steps(person):
                said = await citizen.say(text, expected)
            return said
        finally:
            await citizen.client.disconnect()

    return asyncio.run(converse())


class PollingCitizen(Citizen):
    """A Telegram citizen whose updates the assistant fetches with getUpdates."""

    def deliver(self, update: dict[str, Any], *expected: str, timeout: float = 90) -> Reply:
        since = self.api.mark()
        self.api.queue_update(update)
        return self.wait(since, *expected, timeout=timeout)


def register_over_telegram(telegram: TelegramStack, person: Person, polling: bool) -> str:
    language = person.language
    citizen = (PollingCitizen if polling else Citizen)(telegram, language_code=None)
    try:
        chooser = citizen.say("/start", t("utter_choose_language", language))
        language_name = {"nl": "Nederlands", "fr": "Français", "en": "English"}[language]
        greeting = citizen.tap(chooser, language_name, t("utter_greet", language))
        citizen.tap(
            greeting, t("button_register", language), t("utter_ask_national_number", language)
        )
        citizen.say(person.national_number_typed, t("utter_ask_given_name", language))
        citizen.say(person.given_name, t("utter_ask_family_name", language))
        citizen.say(person.family_name.upper(), t("utter_ask_birth_date", language))
        citizen.say(person.birth_date_typed, t("utter_ask_postcode", language))
        citizen.say(POSTCODE[language], t("utter_ask_phone", language))
        citizen.say(person.phone_typed, t("utter_ask_email", language))
        education = citizen.say(person.email, t("utter_ask_education_level", language))
        occupation = citizen.tap(
            education, t("education_secondary", language), t("utter_ask_occupation", language)
        )
        summary = citizen.tap(occupation, t("occupation_cleaning", language), person.family_name)
        return citizen.tap(summary, t("button_yes_correct", language), "JS-").text
    except AssertionError:
        print("\n---\n".join(citizen.transcript))
        raise


# --- the stack, the conversations, the logs ---


@pytest.fixture(scope="module")
def fake_bot_api() -> Iterator[FakeBotApi]:
    api = FakeBotApi(TOKEN).start()
    yield api
    api.stop()


@dataclass
class Outcome:
    logs: Path
    sandbox_db: str
    done: dict[tuple[str, str], str]


@pytest.fixture(scope="module")
def outcome(trained_test_model, tmp_path_factory, fake_bot_api) -> Outcome:
    """Start the stack at DEBUG, let the nine citizens register, stop it; the logs stay."""
    with pytest.MonkeyPatch.context() as environment:
        for name, value in {
            "LOG_LEVEL": "DEBUG",
            "LOG_LEVEL_LIBRARIES": "DEBUG",
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "TELEGRAM_API_BASE_URL": fake_bot_api.base_url,
            "TELEGRAM_POLL_TIMEOUT": "3",
        }.items():
            environment.setenv(name, value)
        environment.delenv("TELEGRAM_PUBLIC_URL", raising=False)
        stack = start_stack(tmp_path_factory.mktemp("logs-stack"), trained_test_model)
    done: dict[tuple[str, str], str] = {}
    try:
        fake_bot_api.wait_for(lambda: fake_bot_api.recorded("getUpdates"), 60, what="polling")
        telegram = TelegramStack(
            fake_bot_api,
            stack.rasa_url,
            stack.sandbox_db,
            stack.assistant_db,
            stack.root / "logs",
            stack.console_url,
            stack.api_token,
        )
        polling = itertools.cycle((False, True))
        for person in PEOPLE:
            if person.channel == "rest":
                done[person.channel, person.language] = register_over_rest(stack, person)
            elif person.channel == "socketio":
                done[person.channel, person.language] = register_over_socketio(stack, person)
            else:
                done[person.channel, person.language] = register_over_telegram(
                    telegram, person, polling=next(polling)
                )
    finally:
        stack.stop()  # every process writes its last lines and closes its log
    return Outcome(stack.root / "logs", stack.sandbox_db, done)


def test_every_citizen_was_registered_with_the_agency(outcome):
    assert sorted(outcome.done) == sorted((p.channel, p.language) for p in PEOPLE)
    for person in PEOPLE:
        [row] = rows(
            outcome.sandbox_db,
            "SELECT * FROM jobseekers WHERE national_number = :n",
            n=person.national_number,
        )
        assert row["reference"] in outcome.done[person.channel, person.language]
        assert (row["family_name"], row["phone"], row["email"]) == (
            person.family_name,
            person.phone,
            person.email,
        )
        assert str(row["birth_date"]) == person.birth_date.isoformat()


def test_the_logs_are_at_debug_level_and_cover_the_conversations(outcome):
    files = {path.name for path in outcome.logs.iterdir()}
    assert {"sandbox.log", "actions.log", "rasa.log", "console.log"} <= files
    rasa_log = (outcome.logs / "rasa.log").read_text(errors="replace")
    # Rasa's DEBUG lines that carry content are there, without it.
    assert '"event": "processor.slots.log"' in rasa_log
    assert '"slot_values": "<redacted>"' in rasa_log
    assert "Validating extracted slots: <redacted>" in rasa_log
    for conversation in ("rest:logs-", "web:", "tg:"):
        assert conversation in rasa_log


def test_the_log_files_are_readable_by_their_owner_only(outcome):
    for path in outcome.logs.iterdir():
        assert path.stat().st_mode & 0o777 == 0o600, path


@pytest.mark.parametrize("person", PEOPLE, ids=lambda p: f"{p.channel}-{p.language}")
def test_no_log_file_holds_the_citizens_personal_data(outcome, person):
    spellings = person.spellings()
    leaks = [
        leak
        for path in sorted(outcome.logs.iterdir())
        for leak in find_leaks(path.name, path.read_text(errors="replace"), spellings)
    ]
    assert not leaks, "\n".join(
        f"{leak.file}: {leak.value!r} in …{leak.context}…" for leak in leaks
    )

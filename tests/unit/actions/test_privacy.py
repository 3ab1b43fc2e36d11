"""Privacy actions on tracker fixtures: the session start with its notice, forget-me, and
the personal answers dropped once a submission is final."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions.submit as submit_module
from actions.privacy import ActionForgetMe, ActionSessionStart
from actions.submit import PERSONAL_SLOTS, ActionSubmitDocumentRequest, ActionSubmitRegistration
from bot import runtime
from bot.agency.submission import SubmissionOutcome
from bot.privacy.forget import FORGOTTEN_ACTION, conversation_hash, hash_key
from bot.settings import load_settings
from tests.agency_support import document_request, registration
from tests.unit.actions.trackers import CATALOG, DOMAIN, LANGUAGES, tracker
from tests.unit.privacy.records import add_handoff, add_outbox, audit_rows, handoff_ids, outbox_rows

POLICY_URL = "https://agency.example/privacy"


@pytest.fixture
def settings(monkeypatch, tmp_path):
    """12 days and the agency's own policy; var/ in a temporary folder (the hash key)."""
    monkeypatch.delenv("CONVERSATION_HASH_KEY", raising=False)
    monkeypatch.delenv("CONVERSATION_HASH_KEY_FILE", raising=False)
    configured = dataclasses.replace(
        load_settings(), var_dir=tmp_path, retention_days=12, privacy_policy_url=POLICY_URL
    )
    monkeypatch.setattr(runtime, "settings", lambda: configured)
    return configured


def notice(language: str) -> str:
    return CATALOG.text("utter_privacy_notice", language, retention_days=12, privacy_url=POLICY_URL)


def session_start_tracker(**slots: Any) -> Tracker:
    """The tracker Rasa sends with action_session_start: the previous session's slots
    (a slot never set holds its initial value)."""
    initial = {
        name: definition["initial_value"]
        for name, definition in DOMAIN["slots"].items()
        if "initial_value" in definition
    }
    values = {**initial, "language": None, **slots}
    return tracker("", None, form=None, requested_slot=None, **values)


async def start_session(
    current: Tracker, domain: dict | None = None
) -> tuple[list[dict], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = await ActionSessionStart().run(dispatcher, current, domain or DOMAIN)
    return events, dispatcher.messages


# --- action_session_start ----------------------------------------------------------------


async def test_session_start_is_rasas_then_listens(settings):
    events, _ = await start_session(session_start_tracker(language="nl"))
    assert events[0]["event"] == "session_started"
    assert events[-1] == {**events[-1], "event": "action", "name": "action_listen"}
    assert [e["event"] for e in events[1:-1]] == ["slot"] * (len(events) - 2)


async def test_the_slots_are_carried_over_to_the_new_session(settings):
    metadata = {"channel": "telegram", "language": "fr"}
    previous = session_start_tracker(
        language="fr",
        national_number="85073003328",
        known_references=["JS-12345678"],
        handoff_active=False,  # its initial value: nothing to carry
        session_started_metadata=metadata,
    )
    events, _ = await start_session(previous)
    carried = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert carried == {
        "language": "fr",
        "national_number": "85073003328",
        "known_references": ["JS-12345678"],
        "session_started_metadata": metadata,
    }


async def test_without_carry_over_only_the_session_metadata_is_kept(settings):
    domain = {**DOMAIN, "session_config": {"carry_over_slots_to_new_session": False}}
    metadata = {"language": "nl"}
    previous = session_start_tracker(language="nl", session_started_metadata=metadata)
    events, _ = await start_session(previous, domain)
    assert [(e["name"], e["value"]) for e in events if e["event"] == "slot"] == [
        ("session_started_metadata", metadata)
    ]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_notice_is_in_the_conversations_language(settings, language):
    _, messages = await start_session(session_start_tracker(language=language))
    assert [m["text"] for m in messages] == [notice(language)]
    assert messages[0]["buttons"] == []
    assert "12" in messages[0]["text"] and POLICY_URL in messages[0]["text"]


async def test_a_detected_language_counts_as_the_conversations(settings):
    _, messages = await start_session(session_start_tracker(detected_language="en"))
    assert [m["text"] for m in messages] == [notice("en")]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_new_conversation_gets_the_notice_in_the_apps_language(settings, language):
    """Telegram sends the language of the citizen's app with each message."""
    metadata = {"channel": "telegram", "language": language}
    _, messages = await start_session(session_start_tracker(session_started_metadata=metadata))
    assert [m["text"] for m in messages] == [notice(language)]


@pytest.mark.parametrize("metadata", [None, {}, {"channel": "telegram", "language": "de"}])
async def test_without_a_language_the_notice_is_in_every_language_in_one_message(
    settings, metadata
):
    _, messages = await start_session(session_start_tracker(session_started_metadata=metadata))
    [message] = messages
    assert message["text"].split("\n") == [notice(language) for language in ("nl", "fr", "en")]
    assert message["buttons"] == []  # the greeting that follows offers the languages


# --- action_forget_me --------------------------------------------------------------------


@pytest.fixture
def database(monkeypatch, factory):
    monkeypatch.setattr(runtime, "session_factory", lambda: factory)
    return factory


def in_form(sender_id: str, language: str = "nl") -> Tracker:
    current = tracker(
        "/forget_me_confirmed",
        "forget_me_confirmed",
        1.0,
        language=language,
        requested_slot="family_name",
        national_number="85073003328",
        given_name="Jan",
    )
    current.sender_id = sender_id
    return current


@pytest.mark.parametrize("language", LANGUAGES)
async def test_forget_me_tells_the_citizen_and_the_widget_then_resets(settings, database, language):
    dispatcher = CollectingDispatcher()
    events = await ActionForgetMe().run(dispatcher, in_form("web:s1", language), DOMAIN)
    assert [m["text"] for m in dispatcher.messages] == [
        CATALOG.text("utter_forgotten", language),
        None,
    ]
    assert dispatcher.messages[0]["buttons"] == []
    assert dispatcher.messages[1]["custom"] == {"clear_conversation": True}
    assert [e["event"] for e in events] == ["reset_slots", "active_loop"]
    assert events[1]["name"] is None  # the form stops


async def test_forget_me_deletes_this_conversations_rows_and_keeps_a_pending_submission(
    settings, database
):
    mine, other = "tg:5550001", "tg:5550002"
    add_handoff(database, mine)
    add_handoff(database, other)
    delivered = add_outbox(database, mine, status="delivered")
    pending = add_outbox(database, mine, status="pending")

    await ActionForgetMe().run(CollectingDispatcher(), in_form(mine), DOMAIN)

    hashed = conversation_hash(mine, hash_key(settings))
    assert handoff_ids(database, mine) == [] and len(handoff_ids(database, other)) == 1
    rows = outbox_rows(database)
    assert delivered not in rows and rows[pending] == ("pending", hashed)
    [audit] = audit_rows(database, FORGOTTEN_ACTION)
    assert audit["conversation_id"] == hashed
    assert audit["detail"]["channel"] == "tg"
    assert "5550001" not in str(audit_rows(database))


# --- personal answers dropped once a submission is final ----------------------------------


class FakeSubmit:
    def __init__(self, outcome: SubmissionOutcome) -> None:
        self.outcome = outcome
        self.payloads: list[dict] = []

    async def __call__(self, client, outbox, kind, payload, key, conversation_id):
        self.payloads.append(payload)
        return self.outcome


@pytest.fixture
def agency(monkeypatch):
    monkeypatch.setattr(runtime, "agency_client", lambda: None)
    monkeypatch.setattr(runtime, "outbox", lambda: None)

    async def no_handoff(dispatcher, tracker, reason):
        return []

    monkeypatch.setattr(submit_module, "start_handoff", no_handoff)

    def answering(outcome: SubmissionOutcome) -> FakeSubmit:
        fake = FakeSubmit(outcome)
        monkeypatch.setattr(submit_module, "submit", fake)
        return fake

    return answering


def confirmed_registration() -> Tracker:
    answers = {k: v for k, v in registration().items() if k != "language"}
    return tracker(
        "/affirm",
        "affirm",
        form=None,
        requested_slot=None,
        registration_confirmed=True,
        known_references=["DR-00000001"],
        **answers,
    )


def confirmed_document() -> Tracker:
    answers = {k: v for k, v in document_request().items() if k != "language"}
    return tracker(
        "/affirm",
        "affirm",
        form=None,
        requested_slot=None,
        document_confirmed=True,
        given_name="An",
        **answers,
    )


async def run(action, current: Tracker) -> dict[str, Any]:
    events = await action.run(CollectingDispatcher(), current, DOMAIN)
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


FINAL_REGISTRATIONS = [
    SubmissionOutcome("submitted", "JS-12345678", {"agency": "VDAB"}),
    SubmissionOutcome("queued", "Q-ABCD1234"),  # stored durably in the outbox
    SubmissionOutcome("already_registered", "JS-12345678"),
    SubmissionOutcome("already_registered", ""),
]


@pytest.mark.parametrize("outcome", FINAL_REGISTRATIONS, ids=lambda o: o.status)
async def test_a_final_registration_drops_the_personal_answers_and_keeps_the_reference(
    agency, outcome
):
    fake = agency(outcome)
    slots = await run(ActionSubmitRegistration(), confirmed_registration())
    assert fake.payloads[0]["national_number"] == registration()["national_number"]
    assert {slot: slots.get(slot, "(kept)") for slot in PERSONAL_SLOTS} == dict.fromkeys(
        PERSONAL_SLOTS
    )
    if outcome.reference:
        assert slots["known_references"] == ["DR-00000001", outcome.reference]


@pytest.mark.parametrize(
    "outcome",
    [
        SubmissionOutcome("rejected", "Q-ABCD1234", error="invalid"),
        SubmissionOutcome("already_registered", "JS-1", {"conflicting_fields": ["birth_date"]}),
    ],
    ids=["rejected", "conflict"],
)
async def test_a_registration_a_counsellor_must_look_at_keeps_the_answers(agency, outcome):
    agency(outcome)
    slots = await run(ActionSubmitRegistration(), confirmed_registration())
    assert not set(slots) & set(PERSONAL_SLOTS)


@pytest.mark.parametrize(
    "outcome",
    [
        SubmissionOutcome("submitted", "DR-7654321", {"expected_days": 5}),
        SubmissionOutcome("queued", "Q-1"),
    ],
    ids=lambda o: o.status,
)
async def test_a_final_document_request_drops_the_personal_answers(agency, outcome):
    agency(outcome)
    slots = await run(ActionSubmitDocumentRequest(), confirmed_document())
    assert all(slots[slot] is None for slot in PERSONAL_SLOTS)
    assert slots["known_references"] == [outcome.reference]
    assert slots["document_type"] is None and slots["delivery"] is None


async def test_a_refused_document_request_keeps_the_answers(agency):
    agency(SubmissionOutcome("rejected", "Q-1", error="invalid"))
    slots = await run(ActionSubmitDocumentRequest(), confirmed_document())
    assert not set(slots) & set(PERSONAL_SLOTS)

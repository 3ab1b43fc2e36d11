"""Counsellor handoff end to end: a citizen (REST channel), the real console, Rasa and actions.

The REST channel collects replies per request, so what the assistant says outside a turn
(the counsellor's messages, the hand-back) is read from the tracker here; the widget and
Telegram tests see the same messages pushed to the citizen.
"""

from __future__ import annotations

import re
import time
import uuid

import pytest

from bot.i18n.catalog import get_catalog
from tests.console_client import Counsellor, ensure_counsellor
from tests.support import Chat, rows, t

CATALOG = get_catalog()


def request_of(stack, chat: Chat) -> dict:
    found = rows(
        stack.assistant_db,
        "SELECT * FROM handoff_requests WHERE conversation_id = :c ORDER BY id DESC",
        c=chat.conversation_id,
    )
    assert found, "no handoff request was recorded"
    return found[0]


def bot_texts(chat: Chat) -> list[str]:
    return [e.get("text") or "" for e in chat.tracker()["events"] if e.get("event") == "bot"]


def wait_for_bot_text(chat: Chat, expected: str, timeout: float = 20) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        texts = bot_texts(chat)
        if any(expected in said for said in texts):
            return texts
        time.sleep(0.3)
    raise AssertionError(f"{expected!r} never said; the bot said {bot_texts(chat)[-5:]!r}")


@pytest.fixture(scope="module")
def counsellor(stack) -> Counsellor:
    ensure_counsellor(stack.assistant_db, "anna.peeters", "Anna")
    return Counsellor(stack.console_url, "anna.peeters").login()


def queue_text(language: str) -> re.Pattern:
    """utter_handoff_requested with any place and wait."""
    template = CATALOG.texts[language]["utter_handoff_requested"]
    pattern = re.escape(template).replace(r"\{position\}", r"\d+").replace(r"\{minutes\}", r"\d+")
    return re.compile(pattern)


def test_a_counsellor_takes_over_answers_and_hands_back_mid_form(stack, counsellor):
    chat = stack.chat(f"handoff-form-{uuid.uuid4().hex[:8]}")
    chat.send('/switch_language{"language": "nl"}')
    chat.send("/register_jobseeker")
    chat.send("75.12.24-001.65")  # the form now asks the given name
    replies = chat.send("/human_handoff")
    assert queue_text("nl").search(chat.text(replies)), chat.dump()
    assert t("utter_handoff_form_continue", "nl") in chat.text(replies)
    request = request_of(stack, chat)
    assert request["status"] == "waiting" and request["language"] == "nl"
    assert request["channel"] == "rest"

    # The queue shows the conversation; the counsellor takes it.
    assert f'data-handoff="{request["id"]}"' in counsellor.queue_page()
    answer = counsellor.take(request["id"])
    assert answer.status_code == 303 and answer.headers["Location"] == f"/handoffs/{request['id']}"
    wait_for_bot_text(chat, t("utter_handoff_taken", "nl", name="Anna"))
    assert chat.slots()["handoff_active"] is True

    # While held, the assistant says nothing and the counsellor reads every message.
    replies = chat.send("ik weet mijn voornaam niet zeker, kan iemand helpen")
    assert replies == [], replies
    replies = chat.send("/stop")
    assert replies == [], "a held conversation must not be stopped by the assistant"
    page = counsellor.conversation_page(request["id"])
    assert "ik weet mijn voornaam niet zeker" in page
    stored = rows(
        stack.assistant_db,
        "SELECT direction, text FROM handoff_messages WHERE handoff_id = :h ORDER BY id",
        h=request["id"],
    )
    assert [m["direction"] for m in stored] == ["citizen", "citizen"]

    # The counsellor's answer reaches the citizen as a message of the conversation.
    sent = counsellor.reply(request["id"], "Uw voornaam staat op uw identiteitskaart.")
    assert sent["delivered"] is True
    wait_for_bot_text(chat, "Uw voornaam staat op uw identiteitskaart.")
    delivered = rows(
        stack.assistant_db,
        "SELECT delivered_at FROM handoff_messages WHERE id = :m",
        m=sent["message_id"],
    )
    assert delivered[0]["delivered_at"] is not None

    # Hand back: the assistant says so and asks the same question again.
    assert counsellor.hand_back(request["id"]).status_code == 303
    texts = wait_for_bot_text(chat, t("utter_handoff_resumed", "nl"))
    assert texts[-1] == t("utter_ask_given_name", "nl"), texts[-3:]
    assert chat.slots()["handoff_active"] is False
    assert request_of(stack, chat)["status"] == "handed_back"

    # ... and the citizen finishes the form with the assistant.
    replies = chat.send("Anna")
    assert t("utter_ask_family_name", "nl") in chat.text(replies), chat.dump()


def test_closing_ends_the_task_and_the_assistant_says_so(stack, counsellor):
    chat = stack.chat(f"handoff-close-{uuid.uuid4().hex[:8]}")
    chat.send('/switch_language{"language": "fr"}')
    chat.send("/register_jobseeker")
    chat.send("/human_handoff")
    request = request_of(stack, chat)
    assert counsellor.take(request["id"]).status_code == 303
    wait_for_bot_text(chat, t("utter_handoff_taken", "fr", name="Anna"))
    assert counsellor.close(request["id"], "resolved").status_code == 303
    wait_for_bot_text(chat, t("utter_handoff_closed", "fr"))
    closed = request_of(stack, chat)
    assert closed["status"] == "closed" and closed["outcome"] == "resolved"
    tracker = chat.tracker()
    assert tracker["slots"]["handoff_active"] is False
    assert not (tracker.get("active_loop") or {}).get("name"), "the form must be closed too"
    replies = chat.send("/greet")
    assert t("utter_greet", "fr") in chat.text(replies)


def test_a_second_counsellor_cannot_take_a_taken_conversation(stack, counsellor):
    ensure_counsellor(stack.assistant_db, "bart.claes", "Bart")
    other = Counsellor(stack.console_url, "bart.claes").login()
    chat = stack.chat(f"handoff-race-{uuid.uuid4().hex[:8]}")
    chat.send('/switch_language{"language": "en"}')
    chat.send("/human_handoff")
    request = request_of(stack, chat)
    assert counsellor.take(request["id"]).status_code == 303
    answer = other.take(request["id"])
    assert answer.status_code == 303 and "taken_by_other" in answer.headers["Location"]
    refused = other.http.post(
        f"{stack.console_url}/handoffs/{request['id']}/reply",
        data={"text": "hello"},
        headers={"X-CSRF-Token": other.csrf, "Accept": "application/json"},
        timeout=30,
    )
    assert refused.status_code == 409
    assert counsellor.close(request["id"], "other").status_code == 303


def test_registering_again_with_other_details_goes_to_a_counsellor(stack):
    answers = [
        "85.07.30-033.28",
        "Marie",
        "Dubois",
        "30/07/1985",
        "1000",
        "0470 12 34 56",
        "/deny",
        '/inform{"education_level": "secondary"}',
        '/inform{"occupation": "care"}',
    ]
    first = stack.chat(f"conflict-a-{uuid.uuid4().hex[:8]}")
    second = stack.chat(f"conflict-b-{uuid.uuid4().hex[:8]}")
    for chat, postcode in ((first, "1000"), (second, "4000")):
        chat.send('/switch_language{"language": "fr"}')
        chat.send("/register_jobseeker")
        for answer in answers:
            chat.send(postcode if answer == "1000" else answer)
        said = chat.text(chat.send("/affirm"))
    assert t("utter_already_registered_conflict", "fr", agency="Le Forem") in said or (
        t("utter_already_registered_conflict", "fr", agency="Actiris") in said
    ), second.dump()
    assert queue_text("fr").search(said), second.dump()
    request = request_of(stack, second)
    assert request["reason"] == "already_registered" and request["status"] == "waiting"

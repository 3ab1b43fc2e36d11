"""Documents, status checks, an agency outage and a handoff request, end to end."""

from __future__ import annotations

import re
import time
import uuid

import pytest

from bot.i18n.catalog import get_catalog
from tests.support import Chat, rows, t

pytestmark = pytest.mark.integration
CATALOG = get_catalog()


def sandbox_faults(stack, method: str, body: dict | None = None) -> None:
    import json
    import urllib.request

    request = urllib.request.Request(
        f"{stack.sandbox_url}/_sandbox/faults",
        method=method,
        data=json.dumps(body or {}).encode(),
        headers={"Content-Type": "application/json"},
    )
    urllib.request.urlopen(request, timeout=10).read()


def request_birth_certificate(chat: Chat, language: str) -> str:
    """Walks the document form; returns what the assistant said after "yes"."""
    chat.send(f'/switch_language{{"language": "{language}"}}')
    replies = chat.send("/request_document")
    assert t("utter_ask_document_type", language) in chat.text(replies)
    replies = chat.send('/inform{"document_type": "birth_certificate"}')
    assert t("utter_document_info_birth_certificate", language) in chat.text(replies)
    assert t("utter_ask_national_number", language) in chat.text(replies)
    replies = chat.send("85.07.30-033.28")
    assert t("utter_ask_delivery", language) in chat.text(replies)
    replies = chat.send('/inform{"delivery": "post"}')
    assert t("utter_document_summary", language)[:20] in chat.text(replies)
    return chat.text(chat.send("/affirm"))


def test_document_request_then_status_with_the_reference_in_the_message(stack):
    chat = stack.chat(f"doc-{uuid.uuid4().hex[:8]}")
    said = request_birth_certificate(chat, "en")
    reference = chat.slots()["known_references"][-1]
    assert reference.startswith("DR-")
    # Birth certificate by post: 5 days plus 2 for the post.
    assert t("utter_document_done", "en", reference=reference, expected_days=7) in said
    stored = rows(
        stack.sandbox_db, "SELECT * FROM document_requests WHERE reference = :r", r=reference
    )
    assert len(stored) == 1 and stored[0]["delivery"] == "post"

    other = stack.chat(f"status-{uuid.uuid4().hex[:8]}")
    other.send('/switch_language{"language": "fr"}')
    replies = other.send(f"où en est ma demande {reference.lower()}")
    assert t(
        "utter_status_document", "fr", reference=reference, status=t("status_received", "fr")
    ) in other.text(replies)


def test_submission_during_an_outage_is_queued_then_delivered_exactly_once(stack):
    before = len(rows(stack.sandbox_db, "SELECT reference FROM document_requests"))
    sandbox_faults(stack, "POST", {"fail_next": 1000, "status": 503})
    chat = stack.chat(f"outage-{uuid.uuid4().hex[:8]}")
    try:
        said = request_birth_certificate(chat, "nl")
        queued = chat.slots()["known_references"][-1]
        assert queued.startswith("Q-")
        assert t("utter_document_queued", "nl", reference=queued) in said
        replies = chat.send(f"hoe ver staat {queued}")
        assert t("utter_status_queued", "nl", reference=queued) in chat.text(replies)
    finally:
        sandbox_faults(stack, "DELETE")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if len(rows(stack.sandbox_db, "SELECT reference FROM document_requests")) > before:
            break
        time.sleep(0.5)
    time.sleep(2)  # a few more worker rounds: still exactly one delivery
    assert len(rows(stack.sandbox_db, "SELECT reference FROM document_requests")) == before + 1
    delivered = rows(
        stack.assistant_db,
        "SELECT status, agency_reference FROM outbox_submissions WHERE local_reference = :r",
        r=queued,
    )
    assert delivered[0]["status"] == "delivered" and delivered[0]["agency_reference"].startswith(
        "DR-"
    )
    replies = chat.send(f"hoe ver staat {queued}")
    agency_reference = delivered[0]["agency_reference"]
    assert agency_reference in chat.text(replies)


def test_asking_for_a_person_records_a_handoff_request(stack):
    chat = stack.chat(f"handoff-{uuid.uuid4().hex[:8]}")
    chat.send('/switch_language{"language": "fr"}')
    replies = chat.send("/human_handoff")
    said = chat.text(replies)
    position = re.search(r"numéro (\d+) dans la file", said)
    assert position, said
    minutes = re.search(r"environ (\d+) minutes", said).group(1)
    assert t("utter_handoff_requested", "fr", position=position.group(1), minutes=minutes) in said
    replies = chat.send("/human_handoff")
    assert t("utter_handoff_already_requested", "fr", position=position.group(1)) in chat.text(
        replies
    )
    requests = rows(
        stack.assistant_db,
        "SELECT * FROM handoff_requests WHERE conversation_id = :c",
        c=chat.conversation_id,
    )
    assert len(requests) == 1
    assert requests[0]["language"] == "fr" and requests[0]["status"] == "waiting"


def test_two_misunderstandings_offer_a_person(stack):
    chat = stack.chat(f"oos-{uuid.uuid4().hex[:8]}")
    chat.send('/switch_language{"language": "en"}')
    first = chat.send("/out_of_scope")
    assert t("utter_out_of_scope", "en") in chat.text(first)
    second = chat.send("/out_of_scope")
    assert t("utter_offer_handoff_off_topic", "en") in chat.text(second)
    assert "/human_handoff" in chat.payloads(second)

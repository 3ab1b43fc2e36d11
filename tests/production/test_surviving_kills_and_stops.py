"""Killing and stopping processes of the production cluster mid-conversation.

Runs after test_serving_on_two_servers.py (it stops processes of the shared cluster;
the last test stops the whole cluster as `python -m bot.ops.cluster` does on SIGTERM).
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.i18n.catalog import get_catalog
from tests.production.conftest import (
    Citizen,
    ProductionChat,
    outbox_rows,
    registration_steps,
    sandbox_control,
    sandbox_rows,
)
from tests.support import rows

pytestmark = pytest.mark.integration
MODULE_BUDGET_SECONDS = 240
CATALOG = get_catalog()
YES = "yes that is correct"


def text(key: str) -> str:
    return CATALOG.text(key, "en")


def walk(chat: ProductionChat, steps, via: str) -> None:
    for message, expected in steps:
        replies = chat.send(message, via=via)
        if expected:
            assert text(expected) in chat.text(replies), (message, replies)


def wait_until(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while not (value := check()):
        assert time.monotonic() < deadline, f"{what} within {timeout:.0f} s"
        time.sleep(0.3)
    return value


def jobseekers_with(cluster, number: str) -> list[dict]:
    return sandbox_rows(
        cluster, "SELECT reference FROM jobseekers WHERE national_number = :n", n=number
    )


def test_action_server_and_agency_killed_mid_form(cluster):
    chat = ProductionChat(cluster)
    citizen = Citizen.new()
    steps = registration_steps(citizen)
    walk(chat, steps[:5], via="rasa-1")

    cluster.kill("actions-1")  # SIGKILL: nginx sends the next calls to actions-2
    walk(chat, steps[5:8], via="nginx")
    cluster.kill("sandbox")  # SIGKILL: the agency is gone
    walk(chat, steps[8:], via="nginx")
    said = chat.text(chat.send(YES, via="nginx"))

    # The citizen is told the submission is queued; nothing typed was lost.
    slots = chat.tracker()["slots"]
    queued = slots["known_references"][-1]
    assert queued.startswith("Q-") and queued in said
    assert chat.user_texts() == chat.sent
    assert [row["status"] for row in outbox_rows(cluster, chat.conversation_id)] == ["pending"]

    cluster.restart("actions-1")
    cluster.restart("sandbox")  # same database: the agency's records are kept
    delivered = wait_until(
        lambda: [r for r in outbox_rows(cluster, chat.conversation_id) if r["status"] != "pending"],
        45,
        "the queued submission delivered",
    )
    time.sleep(3)  # a few more rounds of both workers: still exactly one delivery
    assert [row["status"] for row in outbox_rows(cluster, chat.conversation_id)] == ["delivered"]
    assert [row["reference"] for row in jobseekers_with(cluster, citizen.national_number)] == [
        delivered[0]["agency_reference"]
    ]


def test_a_rasa_server_killed_mid_form_the_other_continues(cluster):
    chat = ProductionChat(cluster)
    steps = registration_steps(Citizen.new())
    walk(chat, steps[:4], via="rasa-2")  # now asked for the birth date

    cluster.kill("rasa-2")  # SIGKILL

    # The same question, answered on the other server, and through nginx (which skips
    # the server that refuses connections).
    walk(chat, steps[4:6], via="rasa-1")
    walk(chat, steps[6:], via="nginx")
    assert chat.user_texts() == chat.sent
    slots = chat.tracker()["slots"]
    assert (slots["given_name"], slots["family_name"], slots["postcode"]) == (
        "Ahmed",
        "Yilmaz",
        "1030",
    )


def test_sigterm_lets_in_flight_turns_complete_and_the_outbox_stays_consistent(cluster):
    """What `python -m bot.ops.cluster` does on SIGTERM or Ctrl-C: every Rasa server gets
    SIGTERM first and finishes the turns it has begun (they still reach the action
    servers and the agency), then nginx, the action servers and the sandbox stop."""
    servers = ("rasa-1", "memory-1")  # the Rasa servers still running
    chats = [ProductionChat(cluster) for _ in servers]
    citizens = [Citizen.new() for _ in chats]
    for chat, citizen, server in zip(chats, citizens, servers, strict=True):
        walk(chat, registration_steps(citizen), via=server)
    # 1.5 s per agency call (under AGENCY_TIMEOUT_SECONDS): the turns are in flight.
    sandbox_control(cluster, "POST", "/_sandbox/faults", {"delay_seconds": 1.5, "delay_next": 50})
    with ThreadPoolExecutor(len(chats)) as pool:
        answers = [
            pool.submit(chat.send, YES, server) for chat, server in zip(chats, servers, strict=True)
        ]
        time.sleep(0.6)
        stopping = {name: cluster.process(name) for name in servers}
        cluster.stop()
        assert all(answer.done() for answer in answers)
    assert {name: process.returncode for name, process in stopping.items()} == {
        name: 0 for name in servers
    }
    for chat, citizen, answer in zip(chats, citizens, answers, strict=True):
        said = chat.text(answer.result(timeout=1))
        outbox = outbox_rows(cluster, chat.conversation_id)
        assert [row["status"] for row in outbox] == ["delivered"], outbox
        reference = outbox[0]["agency_reference"]
        assert reference in said, said
        assert [row["reference"] for row in jobseekers_with(cluster, citizen.national_number)] == [
            reference
        ]
        # The turn was saved whole in the tracker store (read from PostgreSQL: Rasa is gone).
        events = rows(
            cluster.plan.tracker_database_url,
            "SELECT type_name, action_name, data FROM events WHERE sender_id = :s ORDER BY id",
            s=chat.conversation_id,
        )
        user_texts = [json.loads(e["data"])["text"] for e in events if e["type_name"] == "user"]
        assert user_texts == chat.sent
        assert events[-1]["action_name"] == "action_listen"

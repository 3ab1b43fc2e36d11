"""A counsellor takes a Telegram conversation over in the console and gives it back.

The citizen's messages reach the counsellor (the bot sends nothing while held); the
counsellor's answers and the hand-back reach the chat through the Bot API.
"""

from __future__ import annotations

import json
import time

import pytest

from tests.console_client import Counsellor, ensure_counsellor
from tests.support import rows, t
from tests.telegram.helpers import Citizen, post_webhook, text_content

pytestmark = pytest.mark.integration
NATIONAL_NUMBER = "81.02.14-200.28"


def handoff_requests(telegram_stack, chat_id: int) -> list[dict]:
    return rows(
        telegram_stack.assistant_db,
        "SELECT * FROM handoff_requests WHERE conversation_id = :c ORDER BY id",
        c=f"tg:{chat_id}",
    )


def test_counsellor_answers_on_telegram_and_hands_back(telegram_stack):
    ensure_counsellor(telegram_stack.assistant_db, "jan", "Jan")
    counsellor = Counsellor(telegram_stack.console_url, "jan").login()
    citizen = Citizen(telegram_stack, language_code="nl")

    greeting = citizen.say("/start", t("utter_greet", "nl"))
    citizen.tap(greeting, t("button_register", "nl"), t("utter_ask_national_number", "nl"))
    citizen.say(NATIONAL_NUMBER, t("utter_ask_given_name", "nl"))
    queued = citizen.say("kan ik met een medewerker praten", "U bent nummer")
    assert t("utter_handoff_form_continue", "nl") in queued.text
    requests = handoff_requests(telegram_stack, citizen.chat_id)
    assert len(requests) == 1 and requests[0]["channel"] == "telegram"
    request_id = requests[0]["id"]

    # The counsellor takes it: the chat hears who answers now.
    since = citizen.api.mark()
    assert counsellor.take(request_id).status_code == 303
    citizen.wait(since, t("utter_handoff_taken", "nl", name="Jan"))

    # The citizen writes; the bot stays silent; the console shows the message.
    since = citizen.api.mark()
    question = "Ik heb geen rijksregisternummer meer bij me"
    update = json.dumps(citizen.update(**text_content(question))).encode()
    assert post_webhook(telegram_stack.webhook_url, update) == (200, {"ok": True})
    deadline = time.monotonic() + 30
    while question not in counsellor.conversation_page(request_id):
        assert time.monotonic() < deadline, "the citizen's message never reached the console"
        time.sleep(0.3)
    time.sleep(1.0)  # anything the bot wrongly said would have arrived by now
    assert [c for c in citizen.calls(since) if c.method == "sendMessage"] == []

    # The counsellor's answer arrives in the chat.
    since = citizen.api.mark()
    counsellor.reply(request_id, "Geen probleem, u vindt het op uw identiteitskaart.")
    citizen.wait(since, "Geen probleem, u vindt het op uw identiteitskaart.")

    # Hand back: the form continues at the same question, and the citizen finishes it.
    since = citizen.api.mark()
    assert counsellor.hand_back(request_id).status_code == 303
    citizen.wait(since, t("utter_handoff_resumed", "nl"), t("utter_ask_given_name", "nl"))
    citizen.say("Jan", t("utter_ask_family_name", "nl"))
    citizen.say("Maes", t("utter_ask_birth_date", "nl"))
    citizen.say("14/02/1981", t("utter_ask_postcode", "nl"))
    citizen.say("8000", t("utter_ask_phone", "nl"))
    email = citizen.say("0478 11 22 33", t("utter_ask_email", "nl"))
    education = citizen.tap(email, t("button_no_email", "nl"), t("utter_ask_education_level", "nl"))
    occupation = citizen.tap(
        education, t("education_secondary", "nl"), t("utter_ask_occupation", "nl")
    )
    summary_start = t("utter_registration_summary", "nl").splitlines()[0]
    summary = citizen.tap(occupation, t("occupation_driver", "nl"), summary_start)
    done = citizen.tap(summary, t("button_yes_correct", "nl"), "JS-")
    assert "VDAB" in done.text
    assert handoff_requests(telegram_stack, citizen.chat_id)[0]["status"] == "handed_back"

"""The Telegram channel in the real Rasa server: updates posted to the webhook as Telegram
would, answers checked on the exact Bot API calls the fake recorded."""

from __future__ import annotations

import json
import re
import time

import pytest

from bot.i18n.buttons import LANGUAGES, TASKS
from bot.settings import SUPPORTED_LANGUAGES
from channels.telegram.message_split import escape
from channels.telegram.texts import channel_text, command_descriptions
from tests.support import api_call, privacy_notice, rows, t
from tests.telegram.helpers import (
    DOCUMENT,
    PHOTO,
    SECRET,
    STICKER,
    TOKEN,
    VOICE,
    Citizen,
    location,
    post_webhook,
    text_content,
)

pytestmark = pytest.mark.integration
COMMANDS = ["start", "help", "language", "human", "stop"]


def task_keyboard(language: str) -> list[list[dict[str, str]]]:
    return [[{"text": t(key, language), "callback_data": payload}] for payload, key in TASKS]


def rasa_log(telegram_stack) -> str:
    return (telegram_stack.logs / "rasa.log").read_text(errors="replace")


def test_start_up_registers_the_commands_in_each_language_and_starts_polling(telegram_stack):
    api = telegram_stack.api
    assert api.recorded()[0].method == "getMe"
    registered = {c.params.get("language_code"): c for c in api.recorded("setMyCommands")}
    assert set(registered) == {"nl", "fr", "en", None}
    for language, call in registered.items():
        assert call.error is None
        assert [c["command"] for c in call.params["commands"]] == COMMANDS
        described = {c["command"]: c["description"] for c in call.params["commands"]}
        assert described == command_descriptions(language)
    assert registered["fr"].params["commands"][3]["description"] == "Parler à un conseiller"
    [delete] = api.recorded("deleteWebhook")
    first_poll = api.recorded("getUpdates")[0]
    assert delete.seq < first_poll.seq
    assert first_poll.params["timeout"] == 3
    assert first_poll.params["allowed_updates"] == ["message", "edited_message", "callback_query"]
    assert not api.recorded("setWebhook")  # no public URL: polling mode
    assert TOKEN not in rasa_log(telegram_stack)


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", SECRET + "x"])
def test_a_missing_or_wrong_secret_is_refused_and_logged_without_content(telegram_stack, secret):
    api, citizen = telegram_stack.api, Citizen(telegram_stack)
    update = citizen.update(**text_content("mijn nummer is 85.07.30-033.28, jan@example.be"))
    since = api.mark()
    status, body = post_webhook(telegram_stack.webhook_url, json.dumps(update).encode(), secret)
    assert (status, body["ok"]) == (403, False)
    time.sleep(1)
    assert api.recorded(chat_id=citizen.chat_id, since=since) == []
    log = rasa_log(telegram_stack)
    assert "Telegram webhook: refused a request" in log
    for private in ("85.07.30", "jan@example.be", "mijn nummer", SECRET, TOKEN):
        assert private not in log


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"",
        b"\xff\xfe",
        b"[]",
        b'"update"',
        b'{"message": {"text": "hallo"}}',
        b'{"update_id": "7"}',
        b'{"update_id": 7, "message": {"text": "no chat, no date"}}',
    ],
)
def test_a_body_that_is_not_an_update_gets_400_and_the_server_goes_on(telegram_stack, body):
    status, answer = post_webhook(telegram_stack.webhook_url, body)
    assert (status, answer["ok"]) == (400, False)
    assert api_call(telegram_stack.rasa_url, telegram_stack.api_token, "/status")["model_file"]


def test_a_text_goes_to_rasa_as_the_chat_with_the_apps_language_as_hint(telegram_stack):
    citizen = Citizen(telegram_stack, language_code="fr-BE")
    reply = citizen.say("bonjour", t("utter_greet", "fr"))
    # A new conversation opens with the privacy notice, in the app's language.
    assert reply.methods == ["sendChatAction", "sendMessage", "sendMessage"]
    typing, notice, greeting = reply.calls
    assert typing.params == {"chat_id": citizen.chat_id, "action": "typing"}
    assert notice.params["text"] == escape(privacy_notice("fr"))
    assert greeting.params["parse_mode"] == "HTML"
    assert greeting.params["text"] == escape(t("utter_greet", "fr"))
    assert greeting.keyboard == task_keyboard("fr")
    tracker = citizen.tracker()
    assert tracker["sender_id"] == f"tg:{citizen.chat_id}"
    assert tracker["latest_input_channel"] == "telegram"
    assert tracker["latest_message"]["metadata"] == {"channel": "telegram", "language": "fr"}
    assert tracker["slots"]["language"] == "fr"


def test_start_with_a_deep_link_switches_language_then_greets(telegram_stack):
    citizen = Citizen(telegram_stack, language_code="nl")
    reply = citizen.say("/start fr", t("utter_language_switched", "fr"), t("utter_greet", "fr"))
    # The deep link's language is not yet known when the conversation opens: the notice
    # comes in every language, then everything in French.
    assert reply.text == "\n".join(
        [privacy_notice(None), t("utter_language_switched", "fr"), t("utter_greet", "fr")]
    )
    assert reply.messages[-1].keyboard == task_keyboard("fr")
    tracker = citizen.tracker()
    assert tracker["latest_message"]["text"] == '/switch_language{"language": "fr"}'
    assert tracker["slots"]["language"] == "fr"


def test_plain_start_greets_in_the_apps_language(telegram_stack):
    citizen = Citizen(telegram_stack, language_code="en")
    reply = citizen.say("/start", t("utter_greet", "en"))
    assert [m.text for m in reply.messages] == [privacy_notice("en"), t("utter_greet", "en")]
    assert reply.messages[-1].keyboard == task_keyboard("en")
    assert citizen.tracker()["latest_message"]["intent"]["name"] == "greet"


def test_without_a_known_language_start_offers_the_three_languages(telegram_stack):
    citizen = Citizen(telegram_stack, language_code="ar")
    reply = citizen.say("/start", *(t("utter_choose_language", c) for c in SUPPORTED_LANGUAGES))
    notice, chooser = reply.messages  # no known language: the notice in each language
    assert notice.text == privacy_notice(None) and notice.buttons == []
    assert [data for _, data in chooser.buttons] == [payload for payload, _ in LANGUAGES]


def test_a_tap_is_answered_echoed_and_passed_to_rasa(telegram_stack):
    api, citizen = telegram_stack.api, Citizen(telegram_stack, language_code=None)
    chooser = citizen.say("/start", t("utter_choose_language", "nl"))
    since = api.mark()
    update = citizen.callback(chooser.with_button("Nederlands"), "Nederlands")
    reply = citizen.deliver(update, t("utter_language_switched", "nl"), t("utter_greet", "nl"))
    assert reply.methods == [
        "answerCallbackQuery",
        "editMessageReplyMarkup",
        "sendMessage",
        "sendChatAction",
        "sendMessage",
        "sendMessage",
    ]
    answer, edit, echo = reply.calls[:3]
    assert answer.params == {"callback_query_id": update["callback_query"]["id"]}
    assert edit.params == {
        "chat_id": citizen.chat_id,
        "message_id": chooser.messages[-1].result["message_id"],
    }
    assert edit.error is None and "reply_markup" not in edit.result  # the keyboard is gone
    assert echo.text == "✔ Nederlands"
    assert citizen.tracker()["latest_message"]["text"] == '/switch_language{"language": "nl"}'
    assert api.recorded(since=since, method="sendMessage", chat_id=citizen.chat_id)

    # A second tap on the same keyboard (a double tap) only stops the button's spinner.
    since = api.mark()
    status, _ = post_webhook(
        telegram_stack.webhook_url,
        json.dumps(citizen.callback(chooser.with_button("Nederlands"), "Nederlands")).encode(),
    )
    assert status == 200
    time.sleep(1.5)
    assert [c.method for c in citizen.calls(since)] == ["answerCallbackQuery"]


def test_an_unknown_button_id_is_answered_kindly_and_the_question_repeated(telegram_stack):
    citizen = Citizen(telegram_stack, language_code="nl")
    greeting = citizen.say("/start", t("utter_greet", "nl"))
    expired = channel_text("telegram_button_expired", "nl")
    update = citizen.callback(greeting.messages[0], "", data="#gone-after-a-restart")
    reply = citizen.deliver(update, expired, t("utter_greet", "nl"))
    assert reply.messages[0].text == expired
    assert citizen.tracker()["latest_message"]["intent"]["name"] == "repeat"


def test_language_command_shows_the_three_languages_once_one_is_chosen(telegram_stack):
    citizen = Citizen(telegram_stack, language_code="en")
    citizen.say("/start", t("utter_greet", "en"))
    reply = citizen.say("/language", t("utter_choose_language", "en"))
    [chooser] = reply.messages
    assert chooser.buttons == [
        ("Nederlands", '/switch_language{"language": "nl"}'),
        ("Français", '/switch_language{"language": "fr"}'),
        ("English", '/switch_language{"language": "en"}'),
    ]
    assert citizen.tracker()["latest_message"]["text"] == "/greet"  # Rasa was not involved
    french = citizen.tap(reply, "Français", t("utter_language_switched", "fr"))
    assert "✔ Français" in french.text

    newcomer = Citizen(telegram_stack, language_code="nl")
    reply = newcomer.say("/language", *(t("utter_choose_language", c) for c in SUPPORTED_LANGUAGES))
    assert [data for _, data in reply.messages[-1].buttons] == [p for p, _ in LANGUAGES]
    assert newcomer.tracker()["latest_message"]["intent"]["name"] == "greet"


def test_help_stop_and_human_commands(telegram_stack):
    citizen = Citizen(telegram_stack, language_code="nl")
    citizen.say("/start", t("utter_greet", "nl"))
    citizen.say("/help", t("utter_help", "nl"))
    assert citizen.tracker()["latest_message"]["intent"]["name"] == "help"
    citizen.say("/stop", t("utter_nothing_to_stop", "nl"))
    assert citizen.tracker()["latest_message"]["intent"]["name"] == "stop"
    queued = citizen.say("/human", t("utter_handoff_requested", "nl").split(". ")[0])
    assert re.search(r"U bent nummer \d+ in de rij\. U wacht ongeveer \d+ minuten\.", queued.text)
    assert citizen.tracker()["latest_message"]["intent"]["name"] == "human_handoff"
    requests = rows(
        telegram_stack.assistant_db,
        "SELECT channel, language FROM handoff_requests WHERE conversation_id = :c",
        c=f"tg:{citizen.chat_id}",
    )
    assert [(r["channel"], r["language"]) for r in requests] == [("telegram", "nl")]


def test_non_text_messages_get_an_answer_in_the_citizens_language(telegram_stack):
    citizen = Citizen(telegram_stack, language_code="nl")
    citizen.say("/start fr", t("utter_greet", "fr"))
    events_before = len(citizen.tracker()["events"])
    cases = [
        (VOICE, "telegram_voice_not_supported"),
        (PHOTO, "telegram_only_text"),
        (STICKER, "telegram_only_text"),
        (DOCUMENT, "telegram_only_text"),
        (location(), "telegram_only_text"),  # not at the postcode question
    ]
    for content, key in cases:
        reply = citizen.deliver(citizen.update(**content), channel_text(key, "fr"))
        assert reply.methods == ["sendMessage"], key
        assert reply.messages[0].text == channel_text(key, "fr")
    edited = citizen.deliver(
        citizen.edited("bonjour"), channel_text("telegram_edit_not_read", "fr")
    )
    assert edited.methods == ["sendMessage"]
    assert len(citizen.tracker()["events"]) == events_before  # Rasa saw none of these


def test_a_voice_note_before_any_language_is_answered_in_every_language(telegram_stack):
    citizen = Citizen(telegram_stack, language_code="de")
    expected = [channel_text("telegram_voice_not_supported", c) for c in SUPPORTED_LANGUAGES]
    reply = citizen.deliver(citizen.update(**VOICE), *expected)
    assert reply.messages[0].text == "\n".join(expected)


def test_messages_sent_in_quick_succession_are_answered_in_order(telegram_stack):
    api, citizen = telegram_stack.api, Citizen(telegram_stack, language_code="en")
    since = api.mark()
    for command in ("/start", "/help", "/stop"):
        body = json.dumps(citizen.update(**text_content(command))).encode()
        assert post_webhook(telegram_stack.webhook_url, body)[0] == 200
    expected = [
        privacy_notice("en"),
        t("utter_greet", "en"),
        t("utter_help", "en"),
        t("utter_nothing_to_stop", "en"),
    ]
    reply = citizen.wait(since, *expected)
    assert [message.text for message in reply.messages] == expected

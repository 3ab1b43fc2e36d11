"""Buttons per response: payloads are language independent, titles are locale keys."""

from __future__ import annotations

import json

from bot.settings import SUPPORTED_LANGUAGES
from bot.tasks.fields import (
    DELIVERY_METHODS,
    DOCUMENT_TYPES,
    EDUCATION_LEVELS,
    OCCUPATIONS,
    REGISTRATION_SLOTS,
)


def intent(name: str, **entities: str) -> str:
    """A Rasa button payload: `/intent{"entity": "value"}`."""
    return f"/{name}{json.dumps(entities, ensure_ascii=False)}" if entities else f"/{name}"


Button = tuple[str, str]  # (payload, title key in the locale file)

YES_NO: list[Button] = [(intent("affirm"), "button_yes"), (intent("deny"), "button_no")]
TASKS: list[Button] = [
    (intent("register_jobseeker"), "button_register"),
    (intent("request_document"), "button_document"),
    (intent("check_request_status"), "button_status"),
    (intent("human_handoff"), "button_person"),
]
LANGUAGES: list[Button] = [
    (intent("switch_language", language=code), f"language_name_{code}")
    for code in SUPPORTED_LANGUAGES
]

RESPONSE_BUTTONS: dict[str, list[Button]] = {
    "utter_greet": TASKS,
    "utter_help": TASKS,
    "utter_anything_else": [*TASKS[:3], (intent("goodbye"), "button_no_thanks")],
    "utter_not_understood": TASKS,
    "utter_out_of_scope": TASKS,
    "utter_nothing_to_stop": TASKS[:3],
    "utter_task_stopped": TASKS[:3],
    "utter_thank": [*TASKS[:3], (intent("goodbye"), "button_no_thanks")],
    "utter_bot_challenge": [(intent("human_handoff"), "button_person")],
    # Only "yes": inside a form, "no" is simply answering the form's question.
    "utter_confirm_forget": [(intent("forget_me_confirmed"), "button_forget_yes")],
    "utter_ask_stop_confirmation": [
        (intent("affirm"), "button_yes_stop"),
        (intent("deny"), "button_no_continue"),
    ],
    "utter_offer_handoff": [
        (intent("human_handoff"), "button_yes_person"),
        (intent("help"), "button_no_thanks"),
    ],
    "utter_offer_handoff_off_topic": [
        (intent("human_handoff"), "button_yes_person"),
        (intent("help"), "button_no_thanks"),
    ],
    "utter_still_stuck": [(intent("human_handoff"), "button_person")],
    "utter_handoff_office_closed": [(intent("deny"), "button_no_message")],
    "utter_handoff_resumed_idle": TASKS[:3],
    "utter_ask_email": [(intent("deny"), "button_no_email")],
    "utter_ask_education_level": [
        (intent("inform", education_level=level), f"education_{level}")
        for level in EDUCATION_LEVELS
    ],
    "utter_ask_occupation": [
        (intent("inform", occupation=occupation), f"occupation_{occupation}")
        for occupation in OCCUPATIONS
    ],
    "utter_ask_document_type": [
        (intent("inform", document_type=doc), f"document_{doc}") for doc in DOCUMENT_TYPES
    ],
    "utter_ask_delivery": [
        (intent("inform", delivery=method), f"delivery_{method}") for method in DELIVERY_METHODS
    ],
    "utter_registration_summary": [
        (intent("affirm"), "button_yes_correct"),
        (intent("deny"), "button_no_change"),
    ],
    "utter_document_summary": [
        (intent("affirm"), "button_yes_send"),
        (intent("deny"), "button_no_change"),
    ],
    "utter_ask_field": [
        (intent("change_answer", field=field), f"field_{field}") for field in REGISTRATION_SLOTS
    ],
    "utter_ask_document_field": [
        (intent("change_answer", field=field), f"field_{field}")
        for field in ("document_type", "national_number", "delivery")
    ],
}

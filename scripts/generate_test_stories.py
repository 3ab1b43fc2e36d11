"""Writes tests/test_stories.yml: the same conversations in every language.

Key turns use the citizen's own words (checked against the NLU); answers to form
questions are given as intents, since the forms read them as free text anyway.
Run: python scripts/generate_test_stories.py
"""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

WORDS = {
    "nl": {
        "register": "ik wil mij inschrijven als werkzoekende",
        "document": "ik wil een document aanvragen",
        "status": "hoe ver staat mijn aanvraag",
        "yes": "ja",
        "no": "nee",
        "stop": "stop",
        "change_postcode": 'mijn [postcode]{"entity": "field", "value": "postcode"} is fout',
        "switch": 'kunnen we verder in het [frans]{"entity": "language", "value": "fr"}',
        "switch_to": "fr",
        "out_of_scope_1": "wat voor weer wordt het morgen",
        "out_of_scope_2": "vertel eens een mopje",
        "forget": "verwijder mijn gegevens",
    },
    "fr": {
        "register": "je veux m'inscrire comme demandeur d'emploi",
        "document": "je voudrais demander un document",
        "status": "où en est ma demande",
        "yes": "oui",
        "no": "non",
        "stop": "stop",
        "change_postcode": 'mon [code postal]{"entity": "field", "value": "postcode"} est faux',
        "switch": 'on peut continuer en [anglais]{"entity": "language", "value": "en"}',
        "switch_to": "en",
        "out_of_scope_1": "quel temps fera-t-il demain",
        "out_of_scope_2": "raconte moi une blague",
        "forget": "effacez mes données",
    },
    "en": {
        "register": "i want to register as a jobseeker",
        "document": "i need an official document",
        "status": "where is my request",
        "yes": "yes",
        "no": "no",
        "stop": "stop",
        "change_postcode": 'my [postcode]{"entity": "field", "value": "postcode"} is wrong',
        "switch": 'can we continue in [dutch]{"entity": "language", "value": "nl"}',
        "switch_to": "nl",
        "out_of_scope_1": "what will the weather be tomorrow",
        "out_of_scope_2": "tell me a joke",
        "forget": "delete my data",
    },
}

REGISTRATION = [
    ("national_number", "85073003328"),
    ("given_name", "Jan"),
    ("family_name", "Peeters"),
    ("birth_date", "1985-07-30"),
    ("postcode", "9000"),
    ("phone", "+32470123456"),
    ("email", "jan@example.be"),
    ("education_level", "secondary"),
    ("occupation", "kok"),
]
DOCUMENTS = [
    "jobseeker_certificate",
    "residence_certificate",
    "household_composition",
    "criminal_record_extract",
    "birth_certificate",
]


def user(text: str, intent: str) -> dict:
    return {"user": text, "intent": intent}


def answer(slot: str, value: str, next_slot: str | None, form: str) -> list[dict]:
    steps: list[dict] = [
        {"intent": "inform"},
        {"action": form},
        {"slot_was_set": [{slot: value}]},
    ]
    if next_slot:
        steps.append({"slot_was_set": [{"requested_slot": next_slot}]})
    return steps


def finish(form: str, submit: str) -> list[dict]:
    return [
        {"active_loop": None},
        {"slot_was_set": [{"requested_slot": None}]},
        {"action": submit},
    ]


def start_registration(words: dict) -> list[dict]:
    return [
        user(words["register"], "register_jobseeker"),
        {"action": "registration_form"},
        {"active_loop": "registration_form"},
        {"slot_was_set": [{"requested_slot": "national_number"}]},
    ]


def fill_registration(until: int | None = None) -> list[dict]:
    steps = []
    slots = REGISTRATION[:until]
    for index, (slot, value) in enumerate(slots):
        following = (
            REGISTRATION[index + 1][0]
            if index + 1 < len(REGISTRATION)
            else "registration_confirmed"
        )
        steps += answer(slot, value, following, "registration_form")
    return steps


def confirm(words: dict, form: str, slot: str, submit: str) -> list[dict]:
    return [
        user(words["yes"], "affirm"),
        {"action": form},
        {"slot_was_set": [{slot: True}]},
        *finish(form, submit),
    ]


def stories_for(language: str) -> list[dict]:
    w = WORDS[language]
    stories = []
    stories.append(
        {
            "story": f"{language}: registration happy path",
            "steps": [
                *start_registration(w),
                *fill_registration(),
                *confirm(
                    w, "registration_form", "registration_confirmed", "action_submit_registration"
                ),
            ],
        }
    )
    stories.append(
        {
            "story": f"{language}: correction after the summary",
            "steps": [
                *start_registration(w),
                *fill_registration(),
                user(w["change_postcode"], "change_answer"),
                {"action": "registration_form"},
                {
                    "slot_was_set": [
                        {"field": None},
                        {"postcode": None},
                        {"registration_confirmed": None},
                        {"requested_slot": "postcode"},
                    ]
                },
                *answer("postcode", "1000", "registration_confirmed", "registration_form"),
                *confirm(
                    w, "registration_form", "registration_confirmed", "action_submit_registration"
                ),
            ],
        }
    )
    stories.append(
        {
            "story": f"{language}: switch language in the middle of the form",
            "steps": [
                *start_registration(w),
                *fill_registration(until=3),
                user(w["switch"], "switch_language"),
                {"action": "action_switch_language"},
                {"slot_was_set": [{"language": w["switch_to"]}]},
                {"action": "registration_form"},
                {"active_loop": "registration_form"},
                *answer("birth_date", "1985-07-30", "postcode", "registration_form"),
            ],
        }
    )
    stories.append(
        {
            "story": f"{language}: stop in the form, confirmed",
            "steps": [
                *start_registration(w),
                *fill_registration(until=2),
                user(w["stop"], "stop"),
                {"action": "registration_form"},
                {"slot_was_set": [{"stop_confirmed": None}, {"requested_slot": "stop_confirmed"}]},
                user(w["yes"], "affirm"),
                {"action": "registration_form"},
                {"slot_was_set": [{"national_number": None}, {"given_name": None}]},
                *finish("registration_form", "action_submit_registration"),
            ],
        }
    )
    stories.append(
        {
            "story": f"{language}: stop in the form, declined",
            "steps": [
                *start_registration(w),
                user(w["stop"], "stop"),
                {"action": "registration_form"},
                {"slot_was_set": [{"stop_confirmed": None}, {"requested_slot": "stop_confirmed"}]},
                user(w["no"], "deny"),
                {"action": "registration_form"},
                {"slot_was_set": [{"stop_confirmed": None}, {"requested_slot": "national_number"}]},
                *answer("national_number", "85073003328", "given_name", "registration_form"),
            ],
        }
    )
    for document in DOCUMENTS:
        stories.append(
            {
                "story": f"{language}: request a {document.replace('_', ' ')}",
                "steps": [
                    user(w["document"], "request_document"),
                    {"action": "document_form"},
                    {"active_loop": "document_form"},
                    {"slot_was_set": [{"requested_slot": "document_type"}]},
                    *answer("document_type", document, "national_number", "document_form"),
                    *answer("national_number", "85073003328", "delivery", "document_form"),
                    *answer("delivery", "post", "document_confirmed", "document_form"),
                    *confirm(
                        w, "document_form", "document_confirmed", "action_submit_document_request"
                    ),
                ],
            }
        )
    stories.append(
        {
            "story": f"{language}: check the status of a request",
            "steps": [
                user(w["status"], "check_request_status"),
                {"action": "status_form"},
                {"active_loop": "status_form"},
                {"slot_was_set": [{"requested_slot": "reference"}]},
                {"intent": "inform"},
                {"action": "status_form"},
                {"slot_was_set": [{"reference": "DR-4TQ8ZP1M"}]},
                *finish("status_form", "action_check_status"),
            ],
        }
    )
    stories.append(
        {
            "story": f"{language}: delete my data, confirmed with the button",
            "steps": [
                user(w["forget"], "forget_me"),
                {"action": "utter_confirm_forget"},
                {"intent": "forget_me_confirmed"},
                {"action": "action_forget_me"},
                {"active_loop": None},
            ],
        }
    )
    stories.append(
        {
            "story": f"{language}: delete my data in the middle of the registration",
            "steps": [
                *start_registration(w),
                *fill_registration(until=2),
                user(w["forget"], "forget_me"),
                {"action": "utter_confirm_forget"},
                {"action": "registration_form"},
                {"active_loop": "registration_form"},
                {"intent": "forget_me_confirmed"},
                {"action": "action_forget_me"},
                {"active_loop": None},
            ],
        }
    )
    stories.append(
        {
            "story": f"{language}: delete my data, then no",
            "steps": [
                user(w["forget"], "forget_me"),
                {"action": "utter_confirm_forget"},
                user(w["no"], "deny"),
                {"action": "utter_forget_cancelled"},
            ],
        }
    )
    stories.append(
        {
            "story": f"{language}: two misunderstandings lead to the offer of a person",
            "steps": [
                user(w["out_of_scope_1"], "out_of_scope"),
                {"action": "action_handle_misunderstanding"},
                user(w["out_of_scope_2"], "out_of_scope"),
                {"action": "action_handle_misunderstanding"},
                {"intent": "human_handoff"},
                {"action": "action_request_handoff"},
            ],
        }
    )
    stories.append(
        {
            "story": f"{language}: yes to the offer of a person",
            "steps": [
                user(w["out_of_scope_1"], "out_of_scope"),
                {"action": "action_handle_misunderstanding"},
                user(w["out_of_scope_2"], "out_of_scope"),
                {"action": "action_handle_misunderstanding"},
                user(w["yes"], "affirm"),
                {"action": "action_request_handoff"},
            ],
        }
    )
    return stories


OUTPUT = ROOT / "tests" / "test_stories.yml"


def render() -> str:
    stories = [s for language in WORDS for s in stories_for(language)]
    header = "# Generated by scripts/generate_test_stories.py: edit that file, then run it.\n"
    body = yaml.safe_dump(
        {"version": "3.1", "stories": stories}, sort_keys=False, allow_unicode=True
    )
    return header + body


def main() -> None:
    OUTPUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

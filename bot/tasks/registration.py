"""Jobseeker registration: from collected answers to the agency payload and the summary."""

from __future__ import annotations

from datetime import date
from typing import Any

import phonenumbers

from bot.geo import area_for_postcode
from bot.i18n.catalog import Catalog
from bot.validators import format_date, masked_national_number

NO_EMAIL = "-"


def agency_for(postcode: str | None) -> str | None:
    area = area_for_postcode(postcode or "")
    return area.agency if area else None


def registration_payload(slots: dict[str, Any], language: str) -> dict[str, Any]:
    """The JSON body of `POST /v1/jobseekers` (docs/architecture.md, "Agency API")."""
    email = slots.get("email")
    return {
        "national_number": slots["national_number"],
        "given_name": slots["given_name"],
        "family_name": slots["family_name"],
        "birth_date": slots["birth_date"],
        "postcode": slots["postcode"],
        "phone": slots["phone"],
        "email": None if email in (None, "", NO_EMAIL) else email,
        "education_level": slots["education_level"],
        "occupation": slots["occupation"],
        "language": language,
    }


def _display_phone(e164: str) -> str:
    """+32470123456 -> +32 470 12 34 56, easier to check for a citizen."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def summary_variables(slots: dict[str, Any], language: str, catalog: Catalog) -> dict[str, str]:
    """What the summary shows; the national number is masked but for its last digits."""
    area = area_for_postcode(slots.get("postcode") or "")
    birth = slots.get("birth_date")
    email = slots.get("email")
    occupation = slots.get("occupation") or ""
    occupation_label = (
        catalog.text(f"occupation_{occupation}", language)
        if catalog.has(f"occupation_{occupation}", language)
        else occupation
    )
    return {
        "national_number": masked_national_number(slots.get("national_number") or ""),
        "given_name": slots.get("given_name") or "",
        "family_name": slots.get("family_name") or "",
        "birth_date": format_date(date.fromisoformat(birth), language) if birth else "",
        "postcode": slots.get("postcode") or "",
        "municipality": area.municipality_names(language) if area else "",
        "phone": _display_phone(slots.get("phone") or ""),
        "email": catalog.text("utter_no_email_given", language)
        if email in (None, "", NO_EMAIL)
        else email,
        "education_level": catalog.text(f"education_{slots.get('education_level')}", language),
        "occupation": occupation_label,
    }

"""Document requests: payload and summary."""

from __future__ import annotations

from typing import Any

from bot.i18n.catalog import Catalog
from bot.tasks.registration import NO_EMAIL
from bot.validators import masked_national_number


def document_payload(slots: dict[str, Any], language: str) -> dict[str, Any]:
    """The JSON body of `POST /v1/document-requests` (docs/architecture.md, "Agency API")."""
    email = slots.get("email")
    payload: dict[str, Any] = {
        "document_type": slots["document_type"],
        "national_number": slots["national_number"],
        "delivery": slots["delivery"],
        "language": language,
    }
    for optional in ("given_name", "family_name", "postcode"):
        if slots.get(optional):
            payload[optional] = slots[optional]
    if email not in (None, "", NO_EMAIL):
        payload["email"] = email
    return payload


def summary_variables(slots: dict[str, Any], language: str, catalog: Catalog) -> dict[str, str]:
    return {
        "document": catalog.text(f"document_{slots.get('document_type')}", language),
        "national_number": masked_national_number(slots.get("national_number") or ""),
        "delivery": catalog.text(f"delivery_{slots.get('delivery')}", language),
    }

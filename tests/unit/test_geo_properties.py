"""Postcode areas: every postcode has one region and the agency of that region (ADG for
the German-speaking Community), and a municipality name in every language."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.geo import AGENCIES, AGENCY_BY_REGION, all_postcodes, area_for_postcode
from bot.settings import SUPPORTED_LANGUAGES
from tests.unit.strategies import PROFILE, hostile_text

POSTCODES = all_postcodes()


@PROFILE
@given(postcode=st.sampled_from(POSTCODES), padding=st.sampled_from(["", " ", "\n", "\t "]))
def test_every_postcode_has_one_agency_and_named_municipalities(
    postcode: str, padding: str
) -> None:
    area = area_for_postcode(padding + postcode + padding)
    assert area is not None and area.postcode == postcode
    assert area.agency in AGENCIES
    assert area.agency in (AGENCY_BY_REGION[area.region], "ADG")
    assert {m.region for m in area.municipalities} == {area.region}
    for language in SUPPORTED_LANGUAGES:
        names = area.municipality_names(language)
        assert names and all(name.strip() for name in names.split(", "))


@PROFILE
@given(text=hostile_text(max_size=12))
def test_any_other_text_has_no_area(text: str) -> None:
    area = area_for_postcode(text)
    assert area is None or area.postcode == text.strip()


def test_postcodes_are_four_digits_and_sorted() -> None:
    assert sorted(set(POSTCODES)) == POSTCODES
    assert all(len(code) == 4 and code.isdigit() for code in POSTCODES)
    assert len(POSTCODES) > 1000

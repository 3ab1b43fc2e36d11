"""Belgian postcodes and the public employment service that serves them."""

from __future__ import annotations

import pytest

from bot.geo import GERMAN_SPEAKING_MUNICIPALITIES, PostcodeArea, all_postcodes, area_for_postcode
from bot.validators import validate_postcode

# The postcodes of the nine German-speaking municipalities, as in the Statbel data.
ADG_POSTCODES = {
    "63023": ("Eupen", ["4700", "4701"]),
    "63048": ("Lontzen", ["4710", "4711"]),
    "63040": ("Kelmis", ["4720", "4721", "4728"]),
    "63061": ("Raeren", ["4730", "4731"]),
    "63013": ("Bütgenbach", ["4750"]),
    "63012": ("Büllingen", ["4760", "4761"]),
    "63001": ("Amel", ["4770", "4771"]),
    "63067": ("Sankt Vith", ["4780", "4782", "4783", "4784"]),
    "63087": ("Burg-Reuland", ["4790", "4791"]),
}


def _postcodes_of(refnis: str) -> set[str]:
    return {
        code
        for code in all_postcodes()
        if any(m.refnis == refnis for m in area_for_postcode(code).municipalities)
    }


def test_adg_table_matches_the_data() -> None:
    assert set(ADG_POSTCODES) == set(GERMAN_SPEAKING_MUNICIPALITIES)
    for refnis, (_name, postcodes) in ADG_POSTCODES.items():
        assert _postcodes_of(refnis) == set(postcodes), refnis


@pytest.mark.parametrize(
    ("postcode", "refnis", "name"),
    [(code, refnis, name) for refnis, (name, codes) in ADG_POSTCODES.items() for code in codes],
)
def test_every_german_speaking_postcode_goes_to_adg(postcode: str, refnis: str, name: str) -> None:
    result = validate_postcode(postcode)
    assert result.ok, result
    assert result.value == postcode
    assert result.details["agency"] == "ADG"
    assert result.details["region"] == "wallonia"
    assert name in result.details["municipalities"]
    assert [m.refnis for m in result.details["area"].municipalities] == [refnis]


@pytest.mark.parametrize(
    ("postcode", "name"),
    [
        ("4800", "Verviers"),
        ("4837", "Baelen"),
        ("4830", "Limbourg"),
        ("4840", "Welkenraedt"),
        ("4850", "Plombières"),
        ("4950", "Waimes"),
        ("4960", "Malmedy"),
        ("4000", "Liège"),
    ],
)
def test_neighbouring_liege_province_postcodes_go_to_le_forem(postcode: str, name: str) -> None:
    result = validate_postcode(postcode)
    assert result.ok, result
    assert result.details["agency"] == "Le Forem"
    assert result.details["region"] == "wallonia"
    assert name in result.details["municipalities"]


@pytest.mark.parametrize(
    ("postcode", "names"),
    [("9000", ("Gent", "Gand")), ("2000", ("Antwerpen", "Anvers")), ("8000", ("Brugge", "Bruges"))],
)
def test_flanders_goes_to_vdab(postcode: str, names: tuple[str, ...]) -> None:
    result = validate_postcode(postcode)
    assert result.ok
    assert result.details["agency"] == "VDAB"
    assert result.details["region"] == "flanders"
    assert result.details["municipalities"] == names


@pytest.mark.parametrize(
    ("postcode", "name"),
    [("4000", "Liège"), ("5000", "Namur"), ("7000", "Mons"), ("1300", "Wavre")],
)
def test_wallonia_goes_to_le_forem(postcode: str, name: str) -> None:
    result = validate_postcode(postcode)
    assert result.ok
    assert result.details["agency"] == "Le Forem"
    assert result.details["region"] == "wallonia"
    assert name in result.details["municipalities"]


@pytest.mark.parametrize(
    ("postcode", "name"),
    [("1000", "Bruxelles"), ("1030", "Schaerbeek"), ("1200", "Woluwe-Saint-Lambert")],
)
def test_brussels_goes_to_actiris(postcode: str, name: str) -> None:
    result = validate_postcode(postcode)
    assert result.ok
    assert result.details["agency"] == "Actiris"
    assert result.details["region"] == "brussels"
    assert name in result.details["municipalities"]


def test_municipalities_list_dutch_then_french_names_once() -> None:
    assert validate_postcode("1030").details["municipalities"] == ("Schaarbeek", "Schaerbeek")
    assert validate_postcode("4700").details["municipalities"] == ("Eupen",)
    # 1050 covers two municipalities.
    assert validate_postcode("1050").details["municipalities"] == (
        "Brussel",
        "Elsene",
        "Bruxelles",
        "Ixelles",
    )


def test_details_area_is_the_geo_area() -> None:
    result = validate_postcode("9000")
    assert isinstance(result.details["area"], PostcodeArea)
    assert result.details["area"] == area_for_postcode("9000")
    assert result.details["area"].municipality_names("fr") == "Gand"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("9000", "9000"),
        (" 9000 ", "9000"),
        ("B-9000", "9000"),
        ("B9000", "9000"),
        ("BE-9000", "9000"),
        ("b 9000", "9000"),
        ("mijn postcode is 1000", "1000"),
        ("ma code postal est 4000.", "4000"),
        ("4700 Eupen", "4700"),
        ("4780 Sankt Vith", "4780"),
        ("9000Gent", "9000"),
        ("Kerkstraat 12, 9000 Gent", "9000"),
        ("Rue Neuve 1234, 1000 Bruxelles", "1000"),  # 1234 is no postcode
        ("٩٠٠٠", "9000"),  # Arabic-Indic digits
    ],
)
def test_postcode_is_found_in_text(typed: str, expected: str) -> None:
    result = validate_postcode(typed)
    assert result.ok, result
    assert result.value == expected


@pytest.mark.parametrize("typed", ["", "  ", "?", "👍", None])
def test_empty(typed: str | None) -> None:
    assert validate_postcode(typed).error == "empty"


@pytest.mark.parametrize("typed", ["Gent", "900", "90000", "12345", "9 000", "postcode", "1" * 300])
def test_format(typed: str) -> None:
    assert validate_postcode(typed).error == "format"


def test_two_different_postcodes_are_ambiguous() -> None:
    result = validate_postcode("9000 of 1000")
    assert not result.ok
    assert result.error == "format"
    assert result.details["reason"] == "ambiguous"
    assert result.details["candidates"] == ("9000", "1000")


def test_the_same_postcode_twice_is_fine() -> None:
    assert validate_postcode("9000 Gent (9000)").value == "9000"


@pytest.mark.parametrize("typed", ["0000", "9999", "1234", "B-0000", "0999"])
def test_unknown(typed: str) -> None:
    result = validate_postcode(typed)
    assert not result.ok
    assert result.error == "unknown"
    assert result.details["postcode"] == typed[-4:]


@pytest.mark.parametrize(
    ("postcode", "language", "expected"),
    [
        ("1000", "nl", "Brussel"),
        ("1000", "fr", "Bruxelles"),
        ("1000", "en", "Brussels"),
        ("1050", "en", "Brussels, Ixelles"),
        ("1050", "nl", "Brussel, Elsene"),
        ("1030", "en", "Schaerbeek"),
        ("4000", "nl", "Luik"),
        ("4000", "en", "Liège"),
        ("9000", "en", "Ghent"),
        ("2000", "en", "Antwerp"),
        ("3000", "en", "Leuven"),
        ("3000", "fr", "Louvain"),
        ("4700", "en", "Eupen"),
        ("8500", "en", "Kortrijk"),
    ],
)
def test_municipality_is_named_in_the_citizens_language(postcode, language, expected):
    assert area_for_postcode(postcode).municipality_names(language) == expected

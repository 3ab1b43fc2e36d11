"""Names: names of any script are accepted, tidied once and for all (accepting the result
again changes nothing), recased only when typed in one case; what is not a name is not."""

from __future__ import annotations

import unicodedata

from hypothesis import assume, given
from hypothesis import strategies as st

from bot.validators import MAX_NAME_LENGTH, fold_accents, validate_name
from bot.validators.names import NAME_PARTICLES, SENTENCE_WORDS
from tests.unit.strategies import PROFILE, hostile_text, invisible_marks, with_invisible_marks

ALPHABETS = (
    "abcdefghijklmnopqrstuvwxyzàâäçéèêëïîôöùûüÿñøåæœ",
    "абвгдежзийклмнопрстуфхцчшщыэюя",
    "αβγδεζηθικλμνξοπρστυφχψω",
    "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "王李张刘陈杨黄赵吴周",
)
words = st.sampled_from(ALPHABETS).flatmap(
    lambda alphabet: st.text(alphabet=alphabet, min_size=2, max_size=9)
)
joiners = st.sampled_from([" ", "-", "'"])


@st.composite
def names(draw: st.DrawFn) -> str:
    parts = draw(st.lists(words, min_size=1, max_size=4))
    if len(parts) > 1:  # several words, none of them a pronoun or a verb
        assume(not any(fold_accents(p) in SENTENCE_WORDS for p in parts))
    name = parts[0]
    for part in parts[1:]:
        name += draw(joiners) + part
    assume(len(name) <= MAX_NAME_LENGTH)
    return name


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@PROFILE
@given(name=names(), case=st.sampled_from(["lower", "upper", "as_is"]))
def test_a_name_of_any_script_is_accepted_and_accepted_again(name: str, case: str) -> None:
    typed = {"lower": name.lower(), "upper": name.upper(), "as_is": name}[case]
    assume(len(typed) <= MAX_NAME_LENGTH)  # "ß".upper() is "SS"
    result = validate_name(typed)
    assert result.ok, (typed, result)
    assert result.value.casefold() == nfc(typed).casefold()
    again = validate_name(result.value)
    assert (again.ok, again.value, again.details["recased"]) == (True, result.value, False)


@PROFILE
@given(name=names())
def test_a_name_typed_in_one_case_gets_capitals(name: str) -> None:
    value = validate_name(name.lower()).value
    previous = ""
    for word in value.split(" "):
        particle_after_particle = word in NAME_PARTICLES and previous in NAME_PARTICLES
        if not particle_after_particle and word not in ("'t", "'s"):
            for part in word.replace("'", "-").split("-"):
                assert not part or not part[0].islower(), (name, value)
        previous = word.lower()


@PROFILE
@given(
    name=names(),
    spaces=st.sampled_from(["  ", "\u00a0", " \t "]),
    marks=invisible_marks,
    where=st.lists(st.integers(0, 80), min_size=4, max_size=4),
    decompose=st.booleans(),
)
def test_spacing_typographic_marks_and_decomposed_accents_are_tidied(
    name: str, spaces: str, marks: list[str], where: list[int], decompose: bool
) -> None:
    plain = validate_name(name).value
    messy = name.replace(" ", spaces).replace("'", "’").replace("-", " – ")
    messy = with_invisible_marks(f" {messy} ", marks, where)
    if decompose:
        messy = unicodedata.normalize("NFD", messy)
    assume(len(messy) <= 500)
    assert validate_name(messy).value == plain


@PROFILE
@given(name=names(), digit=st.sampled_from("0123456789٣８"), position=st.integers(0, 60))
def test_a_digit_makes_it_no_name(name: str, digit: str, position: int) -> None:
    at = position % (len(name) + 1)
    assert validate_name(name[:at] + digit + name[at:]).error == "digits"


@PROFILE
@given(name=names(), symbol=st.sampled_from([*'@_.,;:!?&<>/\\#*=+()[]{}|~^$%"', "😀"]))
def test_a_symbol_makes_it_no_name(name: str, symbol: str) -> None:
    assert validate_name(f"{name}{symbol}{name}").error == "symbols"


@PROFILE
@given(text=hostile_text(max_size=120))
def test_an_accepted_name_is_letters_marks_spaces_hyphens_and_apostrophes(text: str) -> None:
    result = validate_name(text)
    if result.ok:
        value = result.value
        assert len(value) <= MAX_NAME_LENGTH
        assert value == value.strip() and "  " not in value
        assert all(
            ch in " -'\u200c\u200d" or unicodedata.category(ch)[0] in "LM" for ch in value
        ), value
        assert any(unicodedata.category(ch)[0] == "L" for ch in value)

"""widget.js says nothing of its own: every word it shows is a key of the locale files.

The widget asks for texts by key (`t("widget_send")`); the keys live in
`bot/i18n/locales/<lang>.yml`. These tests read widget.js as text: each key it names exists
in every language, each `widget_*` key of the locales is used, and no string in the code is
a text of the locale files or looks like one (accents, typographic quotes, no-break spaces).
The last checks also read each file widget.js is generated from (channels/webchat/widget/),
so that a failure names the file to fix.
"""

from __future__ import annotations

import re

import pytest

from bot.i18n.catalog import Catalog
from bot.settings import SUPPORTED_LANGUAGES
from channels.webchat import widget_bundle
from channels.webchat.texts import LANGUAGE_NAME_PREFIX, WIDGET_PREFIX

# widget.js as served: joined from the files of channels/webchat/widget/.
WIDGET_JS = widget_bundle.render()
SOURCE_DIR = widget_bundle.SOURCE_DIR
FILES = {"static/widget.js": WIDGET_JS} | {
    f"widget/{path.name}": path.read_text(encoding="utf-8")
    for path in sorted(SOURCE_DIR.glob("*.js"))
}
CATALOG = Catalog.load()
# Before the first letter of a regular expression literal, as opposed to a division.
_BEFORE_REGEX = set("(,=:[!&|?{};+-*%<>~^") | {""}


def code_and_strings(source: str) -> tuple[str, list[str]]:
    """The code without its comments, and its string literals (raw, between the quotes).

    A small scanner, enough for widget.js: comments, '...', "...", `...` and /regex/
    literals (so that quotes inside a regular expression are not taken for strings).
    """
    code: list[str] = []
    strings: list[str] = []
    i, n = 0, len(source)
    previous = ""  # the last character of code that is not blank
    while i < n:
        char, ahead = source[i], source[i : i + 2]
        if ahead == "//":
            end = source.find("\n", i)
            i = n if end < 0 else end
            continue
        if ahead == "/*":
            i = source.index("*/", i) + 2
            continue
        if char in "'\"`":
            end = i + 1
            while source[end] != char:
                end += 2 if source[end] == "\\" else 1
            strings.append(source[i + 1 : end])
            code.append(source[i : end + 1])
            i, previous = end + 1, char
            continue
        if char == "/" and previous in _BEFORE_REGEX:
            end, in_class = i + 1, False
            while in_class or source[end] != "/":
                if source[end] == "\\":
                    end += 1
                elif source[end] in "[]":
                    in_class = source[end] == "["
                end += 1
            code.append(source[i : end + 1])
            i, previous = end + 1, "/"
            continue
        code.append(char)
        if not char.isspace():
            previous = char
        i += 1
    return "".join(code), strings


SCANNED = {name: code_and_strings(text) for name, text in FILES.items()}
CODE, STRINGS = SCANNED["static/widget.js"]


def _keys(strings: list[str]) -> set[str]:
    return {s for s in strings if re.fullmatch(rf"{WIDGET_PREFIX}[a-z_]+", s)}


KEYS_IN_CODE = _keys(STRINGS)
JS_LANGUAGES = re.findall(r'"([a-z]{2})"', re.search(r"var LANGUAGES = \[(.*?)\]", CODE)[1])


def test_the_scanner_finds_the_strings_and_skips_comments_and_regular_expressions():
    code, strings = code_and_strings(
        'var a = "x\\"y"; // "not this"\n/* \'nor this\' */ var r = /"(nl)"/; b = \'z\' / 2;'
    )
    assert strings == ['x\\"y', "z"]
    assert "not this" not in code and "nor this" not in code and '/"(nl)"/' in code


def test_the_widget_names_its_texts_by_key():
    assert len(KEYS_IN_CODE) >= 25
    assert list(SUPPORTED_LANGUAGES) == JS_LANGUAGES


def test_the_source_files_name_the_same_keys_as_widget_js():
    sources = [name for name in SCANNED if name.startswith("widget/")]
    assert len(sources) > 1
    assert set().union(*(_keys(SCANNED[name][1]) for name in sources)) == KEYS_IN_CODE


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_key_the_widget_uses_has_a_text_in_every_language(language):
    texts = CATALOG.texts[language]
    missing = {key for key in KEYS_IN_CODE if not str(texts.get(key) or "").strip()}
    assert missing == set(), f"{language}: {sorted(missing)}"
    # The language buttons show the names of the assistant's own language buttons.
    for code in JS_LANGUAGES:
        assert texts.get(f"{LANGUAGE_NAME_PREFIX}{code}"), (language, code)


def test_every_widget_text_of_the_locales_is_used_by_the_widget():
    in_locales = {key for key in CATALOG.texts["en"] if key.startswith(WIDGET_PREFIX)}
    assert in_locales - KEYS_IN_CODE == set(), "widget_* texts nobody shows"


@pytest.mark.parametrize("name", FILES)
def test_no_text_of_the_locale_files_is_written_in_the_widget(name):
    _, strings = SCANNED[name]
    texts = {
        str(value).strip()
        for language in SUPPORTED_LANGUAGES
        for value in CATALOG.texts[language].values()
    }
    texts = {text for text in texts if len(text) >= 2}
    found = sorted(
        (literal, text)
        for literal in strings
        for text in texts
        if literal == text or (" " in text and text in literal)
    )
    assert found == []


@pytest.mark.parametrize("name", FILES)
def test_no_string_in_the_widget_looks_like_words_for_people(name):
    code, strings = SCANNED[name]
    # Accents, typographic quotes and dashes, ellipses, no-break spaces (also as \u escapes).
    human = re.compile(r"[^\x00-\x7f]|\\u00a0|\\u20|\\u2026")
    assert [s for s in strings if human.search(s)] == []
    assert [line for line in code.splitlines() if re.search(r"[^\x00-\x7f]", line)] == []


@pytest.mark.parametrize("name", FILES)
def test_no_label_is_given_as_a_literal(name):
    """Texts reach the page only through t(): no literal as a text, label or title."""
    literal_label = re.compile(
        r"""(\b(text|placeholder|title|alt)|["']aria-label["'])\s*:\s*["'][^"']*[A-Za-z]"""
        r"""|\.textContent\s*=\s*["'][^"']*[A-Za-z]"""
        r"""|setAttribute\(\s*["'](aria-label|placeholder|title|alt)["']\s*,\s*["']"""
        r"""|\b(confirm|alert|srOnly|createTextNode)\(\s*["'][^"']*[A-Za-z]"""
    )
    assert literal_label.findall(SCANNED[name][0]) == []


def test_widget_sources_are_listed_small_and_say_their_job():
    sources = sorted(SOURCE_DIR.glob("*.js"))
    assert sorted(path.name for path in sources) == sorted(widget_bundle.SOURCES)
    for path in sources:
        lines = path.read_text(encoding="utf-8").splitlines()
        assert len(lines) < 300, f"{path.name}: {len(lines)} lines; split it by job"
        assert lines[0].startswith("// "), f"{path.name}: first a comment that says its job"


def test_a_source_file_missing_from_the_order_is_an_error(tmp_path, monkeypatch):
    for name in widget_bundle.SOURCES:
        (tmp_path / name).write_text((SOURCE_DIR / name).read_text(encoding="utf-8"))
    (tmp_path / "forgotten.js").write_text("// a file nobody listed\n")
    monkeypatch.setattr(widget_bundle, "SOURCE_DIR", tmp_path)
    with pytest.raises(ValueError, match=r"forgotten\.js"):
        widget_bundle.render()

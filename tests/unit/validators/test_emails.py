"""E-mail addresses and "I have no e-mail" answers."""

from __future__ import annotations

import pytest

from bot.validators import suggest_domain, validate_email


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("jan.peeters@telenet.be", "jan.peeters@telenet.be"),
        ("  jan.peeters@telenet.be  ", "jan.peeters@telenet.be"),
        ("Jan.Peeters@Telenet.BE", "Jan.Peeters@telenet.be"),  # only the domain is lowered
        ("marie+vdab@gmail.com", "marie+vdab@gmail.com"),
        ("o'brien@hotmail.com", "o'brien@hotmail.com"),
        ("a.el-amrani@outlook.be", "a.el-amrani@outlook.be"),
        ("someone@hotmail.fr", "someone@hotmail.fr"),
        ("someone@yahoo.co.uk", "someone@yahoo.co.uk"),
        ("someone@skynet.be", "someone@skynet.be"),
        ("someone@proximus.be", "someone@proximus.be"),
        ("someone@icloud.com", "someone@icloud.com"),
        ("someone@mail.com", "someone@mail.com"),  # a real provider, not a gmail typo
        ("someone@ymail.com", "someone@ymail.com"),
        ("someone@gmx.be", "someone@gmx.be"),
        ("someone@live.be", "someone@live.be"),
        ("student@ugent.be", "student@ugent.be"),
        ("x@student.kuleuven.be", "x@student.kuleuven.be"),
        ("info@mail.telenet.be", "info@mail.telenet.be"),
        ("jan@my-company.brussels", "jan@my-company.brussels"),
        ("jan@gmail.com.", "jan@gmail.com"),  # a full stop at the end of the sentence
        ("<jan@gmail.com>", "jan@gmail.com"),
        ("mailto:jan@gmail.com", "jan@gmail.com"),
        ("jan@bücher.de", "jan@bücher.de"),  # internationalised domain
    ],
)
def test_valid(typed: str, expected: str) -> None:
    result = validate_email(typed)
    assert result.ok, result
    assert result.value == expected
    assert result.details["domain"] == expected.split("@")[1]
    assert "none_given" not in result.details


@pytest.mark.parametrize(
    ("typed", "suggestion"),
    [
        ("jan@gmail.con", "gmail.com"),
        ("jan@gmail.cm", "gmail.com"),
        ("jan@gmail.co", "gmail.com"),
        ("jan@gmail.fr", "gmail.com"),
        ("jan@gmial.com", "gmail.com"),
        ("jan@gamil.com", "gmail.com"),
        ("jan@gmal.com", "gmail.com"),
        ("jan@gmaill.com", "gmail.com"),
        ("jan@gmailcom", "gmail.com"),
        ("jan@gmail", "gmail.com"),
        ("jan@hotmial.com", "hotmail.com"),
        ("jan@hotmail.con", "hotmail.com"),
        ("jan@hotmal.be", "hotmail.be"),
        ("jan@hotmail.bee", "hotmail.be"),
        ("jan@outlok.com", "outlook.com"),
        ("jan@outlook.cmo", "outlook.com"),
        ("jan@yahooo.fr", "yahoo.fr"),
        ("jan@yaho.com", "yahoo.com"),
        ("jan@skynet.com", "skynet.be"),
        ("jan@skynett.be", "skynet.be"),
        ("jan@telnet.be", "telenet.be"),
        ("jan@telenet.bee", "telenet.be"),
        ("jan@telenetbe", "telenet.be"),
        ("jan@telenet,be", "telenet.be"),
        ("jan@proximus.com", "proximus.be"),
        ("jan@proximis.be", "proximus.be"),
        ("jan@icloud.con", "icloud.com"),
        ("jan@iclould.com", "icloud.com"),
        ("jan@GMAIL.CON", "gmail.com"),
    ],
)
def test_typo_of_a_common_provider(typed: str, suggestion: str) -> None:
    result = validate_email(typed)
    assert not result.ok
    assert result.error == "typo"
    assert result.details["suggestion"] == suggestion
    assert result.details["suggested_address"] == f"jan@{suggestion}"


def test_typo_check_can_be_skipped_once_confirmed() -> None:
    result = validate_email("jan@gmail.fr", check_typos=False)
    assert result.ok
    assert result.value == "jan@gmail.fr"


def test_the_suggestion_itself_is_valid() -> None:
    suggested = validate_email("jan@gmial.con").details["suggested_address"]
    assert validate_email(suggested).ok


@pytest.mark.parametrize(
    ("domain", "expected"),
    [("gmail.con", "gmail.com"), ("hotmail.fr", None), ("ugent.be", None), ("mail.com", None)],
)
def test_suggest_domain(domain: str, expected: str | None) -> None:
    assert suggest_domain(domain) == expected


@pytest.mark.parametrize(
    "typed",
    [
        # Dutch
        "geen",
        "Geen",
        "geen email",
        "geen e-mail",
        "ik heb geen e-mail",
        "Ik heb geen e-mailadres",
        "nee",
        "Nee, heb ik niet",
        "ik heb er geen",
        "nvt",
        # French
        "pas d'email",
        "pas d’e-mail",
        "je n'ai pas d'adresse mail",
        "Je n’ai pas d’adresse e-mail",
        "aucun",
        "aucune",
        "non",
        "pas de mail",
        "je n'en ai pas",
        "Non, désolé",
        # English
        "no",
        "No.",
        "none",
        "None!",
        "I don't have one",
        "i dont have an email",
        "no email",
        "I do not have an email address",
        "n/a",
    ],
)
def test_no_email_answers(typed: str) -> None:
    result = validate_email(typed)
    assert result.ok, result
    assert result.value is None
    assert result.details["none_given"] is True


@pytest.mark.parametrize("typed", ["email", "mail", "ik heb een e-mail", "yes", "j'ai un email"])
def test_talking_about_email_without_a_negation_is_not_a_refusal(typed: str) -> None:
    result = validate_email(typed)
    assert not result.ok
    assert result.error == "format"


def test_an_address_starting_with_no_is_an_address() -> None:
    result = validate_email("no@telenet.be")
    assert result.ok
    assert result.value == "no@telenet.be"


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("jan peeters@gmail.com", "spaces"),
        ("jan @gmail.com", "spaces"),
        ("jan@ gmail.com", "spaces"),
        ("jangmail.com", "missing_at"),
        ("jan.peeters", "missing_at"),
        ("jan@@gmail.com", "several_at"),
        ("jan@piet@gmail.com", "several_at"),
        ("@gmail.com", "local_part"),
        (".jan@gmail.com", "local_part"),
        ("jan.@gmail.com", "local_part"),
        ("jan..peeters@gmail.com", "local_part"),
        ("jän@gmail.com", "local_part"),
        ("j<script>@gmail.com", "local_part"),
        ("jan@", "domain"),
        ("jan@ugent", "domain"),
        ("jan@ugent.", "domain"),
        ("jan@-ugent.be", "domain"),
        ("jan@ugent..be", "domain"),
        ("jan@ugent.b", "domain"),
        ("jan@ugent.123", "domain"),
        ("jan@under_score.be", "domain"),
        ("x" * 65 + "@gmail.com", "local_part"),
        ("a@" + "b" * 250 + ".be", "too_long"),
        ("a" * 400 + "@gmail.com", "too_long"),
    ],
)
def test_format(typed: str, reason: str) -> None:
    result = validate_email(typed)
    assert not result.ok
    assert result.error == "format"
    assert result.details["reason"] == reason


@pytest.mark.parametrize("typed", ["", "  ", "...", "🤷", "@", None])
def test_empty(typed: str | None) -> None:
    assert validate_email(typed).error == "empty"


def test_comma_instead_of_dot_is_suggested_for_any_domain() -> None:
    result = validate_email("jan@ugent,be")
    assert result.error == "typo"
    assert result.details["suggestion"] == "ugent.be"


def test_commas_in_garbage_give_no_suggestion() -> None:
    result = validate_email("jan@,,")
    assert result.error == "format"
    assert result.details["reason"] == "domain"

"""E-mail addresses: well-formed addresses are accepted as typed (domain in lower case),
with the punctuation people put around them; "no e-mail" answers are recognised."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.validators import validate_email
from bot.validators.emails import _is_valid_domain
from tests.unit.strategies import PROFILE, hostile_text, invisible_marks, with_invisible_marks

atom = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+_-",
    min_size=1,
    max_size=12,
)
local_parts = st.lists(atom, min_size=1, max_size=3).map(".".join)
label = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
# Real domains that are not a provider's misspelling (no typo suggestion expected).
KNOWN_DOMAINS = ["gmail.com", "hotmail.be", "telenet.be", "skynet.be", "ugent.be", "vdab.be",
                 "example.org", "mail.com", "proximus.be", "outlook.fr"]  # fmt: skip
tlds = st.sampled_from(["be", "eu", "org"])
domains = st.one_of(
    st.sampled_from(KNOWN_DOMAINS),
    st.builds(lambda a, b, tld: f"zz{a}.{b}.{tld}", label, label, tlds),
)
wrappers = st.sampled_from(
    [("", ""), ("<", ">"), ("mailto:", ""), ("", "."), ("(", ")"), ('"', '"')]
)
cases = st.sampled_from(["lower", "upper_domain", "title"])


@PROFILE
@given(
    local=local_parts,
    domain=domains,
    wrapper=wrappers,
    case=cases,
    marks=invisible_marks,
    where=st.lists(st.integers(0, 80), min_size=4, max_size=4),
)
def test_a_well_formed_address_is_accepted_and_accepted_again(
    local: str, domain: str, wrapper: tuple[str, str], case: str, marks: list[str], where: list[int]
) -> None:
    typed_domain = {"lower": domain, "upper_domain": domain.upper(), "title": domain.title()}[case]
    address = f"{local}@{typed_domain}"
    text = with_invisible_marks(f" {wrapper[0]}{address}{wrapper[1]} ", marks, where)
    result = validate_email(text)
    assert result.ok, (text, result)
    assert result.value == f"{local}@{domain}"
    assert result.details["domain"] == domain
    assert validate_email(result.value).value == result.value


@PROFILE
@given(local=local_parts, domain=domains, space=st.integers(min_value=1, max_value=20))
def test_an_address_with_a_space_inside_is_refused(local: str, domain: str, space: int) -> None:
    address = f"{local}@{domain}"
    position = space % (len(address) - 1) + 1
    result = validate_email(address[:position] + " " + address[position:])
    assert not result.ok


@PROFILE
@given(
    answer=st.sampled_from(
        ["geen", "ik heb geen e-mail", "pas d'email", "je n'ai pas d'adresse courriel",
         "none", "I don't have one", "no email", "nee", "n/a", "Non, aucune"]
    ),
    shout=st.booleans(),
)  # fmt: skip
def test_no_email_answers_are_recognised(answer: str, shout: bool) -> None:
    result = validate_email(answer.upper() if shout else answer)
    assert result.ok and result.value is None and result.details["none_given"]


@PROFILE
@given(text=hostile_text())
def test_an_accepted_address_is_one_the_agency_can_store(text: str) -> None:
    result = validate_email(text)
    if result.ok and result.value is not None:
        local, _, domain = result.value.partition("@")
        assert local and len(result.value) <= 254
        assert domain == domain.lower() and _is_valid_domain(domain)
        assert not any(ch.isspace() for ch in result.value)

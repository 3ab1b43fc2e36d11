"""E-mail addresses typed on a phone, and "I have no e-mail" answers in nl/fr/en.

Error codes of `validate_email`:
    "empty"   nothing (or only punctuation/emoji) was typed
    "format"  not an e-mail address (details reason: "spaces", "missing_at", "several_at",
              "local_part", "domain", "too_long")
    "typo"    well-formed but the domain looks like a misspelt common provider
              ("gmail.con"): details suggestion="gmail.com", suggested_address
"""

from __future__ import annotations

import re

from .result import ValidationResult
from .text import collapse_spaces, fold_accents, is_blank_or_noise, remove_invisible

_MAX_ADDRESS = 254
_MAX_INPUT = 320

# The providers whose misspellings are caught, with the top-level domains they really use.
# The first one is the suggestion when the typed one is not close to any.
PROVIDER_DOMAINS: dict[str, tuple[str, ...]] = {
    "gmail": ("com",),
    "hotmail": ("com", "be", "fr", "nl", "de", "co.uk", "es", "it"),
    "outlook": ("com", "be", "fr", "nl", "de", "es", "it"),
    "yahoo": ("com", "fr", "be", "nl", "de", "co.uk", "es", "it"),
    "skynet": ("be",),
    "telenet": ("be",),
    "proximus": ("be",),
    "icloud": ("com",),
}
# Real domains that look like a typo of a provider above and must never be "corrected".
_REAL_LOOKALIKES = frozenset(
    {"mail", "email", "ymail", "gmx", "live", "msn", "me", "mac", "aol", "googlemail"}
)
_TLD_TYPOS = {"con", "cmo", "ocm", "cm", "om", "co", "c", "vom", "xom", "cpm", "cim", "comm",
              "coom", "bee", "b", "ne", "vb", "bw", "nee"}  # fmt: skip

# Answers meaning "I have no e-mail address": every word must come from this vocabulary
# and at least one must be a negation. Compared after folding accents and apostrophes.
_NO_EMAIL_WORDS = frozenset(
    word
    for line in (
        "ik heb er geen nee neen niet nooit gehad dat momenteel hoor helaas sorry",
        "e mail email mails emails mailadres emailadres e-mail e-mailadres adres",
        "je n ai pas d de l adresse courriel mel e-mel non aucun aucune j en rien sans",
        "moi actuellement malheureusement desole desolee",
        "i don t dont do not have haven ve got one an any no none nope nothing address",
        "unfortunately n/a na nvt n.v.t",
    )
    for word in line.split()
)
_NEGATIONS = frozenset(
    word
    for line in (
        "geen nee neen niet nooit pas non aucun aucune rien sans",
        "no none nope not don dont haven nothing n/a na nvt n.v.t",
    )
    for word in line.split()
)

_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-]+")
_LABEL = re.compile(r"[^\W_]+(?:-+[^\W_]+)*")


def _is_valid_domain(domain: str) -> bool:
    labels = domain.split(".")
    return (
        len(labels) >= 2
        and all(_LABEL.fullmatch(label) and len(label) <= 63 for label in labels)
        and re.fullmatch(r"[^\W\d_]{2,}", labels[-1]) is not None
    )


def _is_no_email_answer(text: str) -> bool:
    folded = fold_accents(text)
    folded = re.sub(r"['’‘`´]", " ", folded)
    words = re.findall(r"[\w/.-]+", folded)
    words = [w.strip(".-") or w for w in words]
    return (
        bool(words)
        and all(w in _NO_EMAIL_WORDS for w in words)
        and any(w in _NEGATIONS for w in words)
    )


def _distance(a: str, b: str) -> int:
    """Optimal string alignment distance (edits, with swapped neighbours counting as one)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


def _closest_tld(tld: str, allowed: tuple[str, ...]) -> str:
    best = min(allowed, key=lambda candidate: _distance(tld, candidate))
    return best if _distance(tld, best) <= 2 else allowed[0]


def _provider_like(name: str) -> str | None:
    """The provider `name` is a misspelling of ("gmial" -> "gmail"), if any."""
    if name in _REAL_LOOKALIKES:
        return None
    for provider in PROVIDER_DOMAINS:
        limit = 1 if len(provider) <= 5 else 2
        if _distance(name, provider) <= limit:
            return provider
    return None


def suggest_domain(domain: str) -> str | None:
    """The provider domain a misspelt `domain` stands for, or None when it looks fine.

    "gmail.con" -> "gmail.com", "hotmial.be" -> "hotmail.be", "gmailcom" -> "gmail.com",
    "telenet,be" -> "telenet.be"; "mail.com", "hotmail.fr", "ugent.be" -> None.
    """
    domain = domain.lower().strip(".")
    if "," in domain:
        fixed = domain.replace(",", ".")
        return suggest_domain(fixed) or (fixed if _is_valid_domain(fixed) else None)
    name, dot, tld = domain.partition(".")
    if not dot:
        # "gmailcom", "telenetbe", "gmail": the dot is missing.
        for provider, tlds in PROVIDER_DOMAINS.items():
            for allowed in tlds:
                if domain in (provider + allowed.replace(".", ""), provider):
                    return f"{provider}.{allowed}"
        return None
    if name in PROVIDER_DOMAINS:
        tlds = PROVIDER_DOMAINS[name]
        if tld in tlds:
            return None
        if tld in _TLD_TYPOS or _distance(tld, tlds[0]) <= 1 or len(tlds) == 1:
            return f"{name}.{_closest_tld(tld, tlds)}"
        return None
    provider = _provider_like(name)
    if provider is None:
        return None
    tlds = PROVIDER_DOMAINS[provider]
    if tld in tlds:
        return f"{provider}.{tld}"
    if tld in _TLD_TYPOS or _distance(tld, tlds[0]) <= 1:
        return f"{provider}.{_closest_tld(tld, tlds)}"
    return None


def validate_email(text: str | None, *, check_typos: bool = True) -> ValidationResult:
    """Validate an e-mail address, or recognise that the citizen has none.

    value:   "local@domain" with the domain lower-cased; None with details none_given=True
             when the answer means "no e-mail address" ("geen", "pas d'email", "none").
    details: domain. Pass check_typos=False once the citizen confirmed an unusual domain.
    """
    if not isinstance(text, str) or is_blank_or_noise(text):
        return ValidationResult.invalid("empty")
    text = remove_invisible(text).strip()
    if len(text) > _MAX_INPUT:
        return ValidationResult.invalid("format", reason="too_long")
    if "@" not in text and _is_no_email_answer(text):
        return ValidationResult.valid(None, none_given=True)

    address = collapse_spaces(text)
    if address.lower().startswith("mailto:"):
        address = address[len("mailto:") :]
    address = address.strip("<>\"'()[]").rstrip(".,;:!?")  # typed punctuation around it
    if any(ch.isspace() for ch in address):
        return ValidationResult.invalid("format", reason="spaces")
    if address.count("@") == 0:
        return ValidationResult.invalid("format", reason="missing_at")
    if address.count("@") > 1:
        return ValidationResult.invalid("format", reason="several_at")
    local, _, domain = address.partition("@")
    domain = domain.lower()
    if len(address) > _MAX_ADDRESS:
        return ValidationResult.invalid("format", reason="too_long")
    if (
        not local
        or len(local) > 64
        or not _LOCAL.fullmatch(local)
        or local.startswith(".")
        or local.endswith(".")
        or ".." in local
    ):
        return ValidationResult.invalid("format", reason="local_part")

    suggestion = suggest_domain(domain) if check_typos and domain else None
    if suggestion and suggestion != domain:
        return ValidationResult.invalid(
            "typo", suggestion=suggestion, suggested_address=f"{local}@{suggestion}"
        )
    if not _is_valid_domain(domain):
        return ValidationResult.invalid("format", reason="domain")
    return ValidationResult.valid(f"{local}@{domain}", domain=domain)

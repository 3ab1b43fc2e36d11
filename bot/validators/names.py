"""Person names typed on a phone: "van den broeck", "O'Brien", "EL AMRANI", "Nguyễn".

Error codes of `validate_name`:
    "empty"      nothing but whitespace (or invisible formatting characters) was typed
    "digits"     contains a digit
    "symbols"    contains anything but letters, spaces, hyphens and apostrophes
                 (emoji, "<script>", "@", "_", ".")
    "too_long"   longer than 60 characters
    "too_short"  a single letter (a single CJK/Hangul character is a valid name)
    "sentence"   several words of which one is a pronoun, verb or question word of
                 Dutch, French or English ("wat is het weer", "je veux arrêter"): a
                 sentence, not a name. A single word is never refused for this
                 ("Will", "Hope", "Klein" are names).

Capitalisation: kept as typed when the citizen mixed cases ("Jan van Dijk"). When the
name is typed all lower or all upper case, every word is capitalised, also after a hyphen
or an apostrophe ("jean-luc" -> "Jean-Luc", "o'brien" -> "O'Brien", "d'hondt" ->
"D'Hondt"), except a particle that follows another particle, which is lower-cased as in
Belgian surnames ("van den broeck" -> "Van den Broeck", "bart de wever" -> "Bart De
Wever"), and the Dutch "'t"/"'s" ("'t hooft" -> "'t Hooft").
"""

from __future__ import annotations

import re
import unicodedata

from .result import ValidationResult
from .text import collapse_spaces, fold_accents, remove_invisible

MAX_LENGTH = 60
_MAX_INPUT = 500

_APOSTROPHES = re.compile(r"[’‘`´ʼ′]")
_HYPHENS = re.compile(r"[‐‑‒–—]")
NAME_PARTICLES = frozenset(
    word
    for line in (
        "van von vom de den der des het ten ter te du la le da di del della dos das do zu",
        "el al ben bin ibn",
    )
    for word in line.split()
)


# Words that make a several-word message a sentence rather than a name. Name particles
# (van, de, ben, el, ...) never count, nor do words that are also surnames or given
# names in Belgium (Vos, Can, Will, May, Tu, Do, Ma, Ou, Ta, Ton, Ai, An, Mai).
SENTENCE_WORDS = (
    frozenset(
        word
        for line in (
            # Dutch (with Flemish and SMS forms)
            "ik k jij jou jouw u uw gij ge wij we mijn mn me mij hij zij ze hun jullie",
            "is ben bent zijn heb hebt heeft wil wilt willen kunt kunnen moet moeten mag",
            "wat wie waar wanneer waarom hoe welke wa wnr niet nie geen graag aub",
            "alstublieft alsjeblieft dat da dit deze die er naar met voor over om ook nog",
            "maar heet noem naam voornaam achternaam weer morgen vandaag",
            # French
            "je j il elle nous vous moi toi mon mes tes votre notre",
            "est suis es sont veux veut voudrais peux peut dois doit faut",
            "quoi qui comment quand pourquoi quel quelle quels pas ne svp stp plait",
            "ce cette ca c qu que avec pour sur dans aujourd hui demain appelle nom prenom",
            # English
            "i im me my you your ur we he she it they is are am was be does did",
            "could want wanna need have has what who where when why how which",
            "not dont please pls plz the to for with about this that there",
            "today tomorrow name first last",
        )
        for word in line.split()
    )
    - NAME_PARTICLES
    - frozenset(
        {"vos", "can", "will", "may", "tu", "do", "ma", "ou", "ta", "ton", "ai", "an", "mai"}
    )
)


def _is_sentence(name: str) -> bool:
    words = re.findall(r"[^\W\d_]+", fold_accents(name))
    return len(words) > 1 and any(word in SENTENCE_WORDS for word in words)


def _is_name_char(ch: str) -> bool:
    # Letters and combining marks of any script; the zero-width (non-)joiner is part of
    # the spelling of some Persian and Indic names.
    return ch in " -'\u200c\u200d" or unicodedata.category(ch)[0] in ("L", "M")


def _is_ideograph(ch: str) -> bool:
    name = unicodedata.name(ch, "")
    return name.startswith(("CJK UNIFIED IDEOGRAPH", "HANGUL SYLLABLE"))


def _capitalise_word(word: str) -> str:
    if word in ("'t", "'s"):
        return word
    parts = re.split(r"([-'])", word)
    return "".join(part[:1].upper() + part[1:] if part not in "-'" else part for part in parts)


def _recase(name: str) -> str:
    words = name.lower().split(" ")
    out: list[str] = []
    for i, word in enumerate(words):
        if i > 0 and word in NAME_PARTICLES and words[i - 1] in NAME_PARTICLES:
            out.append(word)
        else:
            out.append(_capitalise_word(word))
    # Lower-casing can decompose ("İ" -> "i" + a combining dot): compose again.
    return unicodedata.normalize("NFC", " ".join(out))


def validate_name(text: str | None) -> ValidationResult:
    """Validate and tidy a first name or a surname.

    value:   the name with invisible formatting characters removed (bot.validators.text,
             `remove_invisible`), spaces collapsed, typographic apostrophes/hyphens made plain,
             spaces around hyphens removed, and recased when typed in a single case.
    details: recased (bool).
    """
    if not isinstance(text, str):
        return ValidationResult.invalid("empty")
    text = remove_invisible(text)
    if not text.strip():
        return ValidationResult.invalid("empty")
    if len(text) > _MAX_INPUT:
        return ValidationResult.invalid("too_long")
    name = unicodedata.normalize("NFC", text)
    name = _HYPHENS.sub("-", _APOSTROPHES.sub("'", name))
    name = collapse_spaces(name)
    name = re.sub(r" ?- ?", "-", name)
    if not all(_is_name_char(ch) or ch.isdigit() for ch in name):
        return ValidationResult.invalid("symbols")
    if any(ch.isdigit() for ch in name):
        return ValidationResult.invalid("digits")
    if len(name) > MAX_LENGTH:
        return ValidationResult.invalid("too_long")
    letters = [ch for ch in name if unicodedata.category(ch)[0] == "L"]
    if not letters:  # only hyphens, apostrophes or marks
        return ValidationResult.invalid("symbols")
    if len(letters) == 1 and not _is_ideograph(letters[0]):
        return ValidationResult.invalid("too_short")
    if _is_sentence(name):
        return ValidationResult.invalid("sentence")
    recased = False
    cased = [ch for ch in letters if ch.lower() != ch.upper()]
    if cased and (all(ch.islower() for ch in cased) or all(ch.isupper() for ch in cased)):
        recased_name = _recase(name)
        recased = recased_name != name
        name = recased_name
    return ValidationResult.valid(name, recased=recased)

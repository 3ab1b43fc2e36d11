"""Texts the Telegram channel says itself (answers to non-text messages, command descriptions).

The locale files (bot/i18n/locales) win: once a key below exists there, its text is used.
Until then these fallbacks keep the same plain-language rules (short sentences, one question).
"""

from __future__ import annotations

from bot.i18n.catalog import get_catalog
from bot.settings import SUPPORTED_LANGUAGES

FALLBACK_TEXTS: dict[str, dict[str, str]] = {
    "telegram_voice_not_supported": {
        "nl": "Ik kan nog geen spraakberichten beluisteren. Typ uw bericht.",
        "fr": "Je ne peux pas encore écouter les messages vocaux. "
        "Écrivez votre message, s'il vous plaît.",
        "en": "I cannot listen to voice messages yet. Please type your message.",
    },
    "telegram_only_text": {
        "nl": "Ik kan alleen tekst lezen. Typ uw bericht.",
        "fr": "Je peux seulement lire du texte. Écrivez votre message, s'il vous plaît.",
        "en": "I can only read text. Please type your message.",
    },
    "telegram_location_type_postcode": {
        "nl": "Ik kan geen locatie lezen. Typ uw postcode. Bijvoorbeeld: 9000.",
        "fr": "Je ne peux pas lire une position. Écrivez votre code postal. Par exemple : 4000.",
        "en": "I cannot read a location. Please type your postcode. For example: 9000.",
    },
    "telegram_edit_not_read": {
        "nl": "Ik lees geen gewijzigde berichten. Stuur de juiste tekst als een nieuw bericht.",
        "fr": "Je ne lis pas les messages modifiés. "
        "Envoyez le bon texte dans un nouveau message, s'il vous plaît.",
        "en": "I do not read changed messages. Please send the correct text as a new message.",
    },
    "telegram_button_expired": {
        "nl": "Deze knop werkt niet meer. Hier is de vraag opnieuw.",
        "fr": "Ce bouton ne fonctionne plus. Voici de nouveau la question.",
        "en": "This button does not work any more. Here is the question again.",
    },
    "telegram_something_went_wrong": {
        "nl": "Sorry, er ging iets mis. Probeer het zo meteen opnieuw.",
        "fr": "Désolé, un problème est survenu. Réessayez dans un moment, s'il vous plaît.",
        "en": "Sorry, something went wrong. Please try again in a moment.",
    },
    "telegram_command_start": {
        "nl": "Het gesprek beginnen",
        "fr": "Commencer la conversation",
        "en": "Start the conversation",
    },
    "telegram_command_help": {
        "nl": "Wat kan de assistent doen?",
        "fr": "Que peut faire l'assistant ?",
        "en": "What can the assistant do?",
    },
    "telegram_command_language": {
        "nl": "Uw taal kiezen",
        "fr": "Choisir votre langue",
        "en": "Choose your language",
    },
    "telegram_command_human": {
        "nl": "Met een medewerker praten",
        "fr": "Parler à un conseiller",
        "en": "Talk to a person",
    },
    "telegram_command_stop": {
        "nl": "Stoppen en mijn antwoorden wissen",
        "fr": "Arrêter et effacer mes réponses",
        "en": "Stop and delete my answers",
    },
}

# Telegram command -> the description's text key. The order is the order in the menu.
COMMAND_KEYS: dict[str, str] = {
    "start": "telegram_command_start",
    "help": "telegram_command_help",
    "language": "telegram_command_language",
    "human": "telegram_command_human",
    "stop": "telegram_command_stop",
}


def channel_text(key: str, language: str | None) -> str:
    """The text of `key` in `language`; without a language, every language, one per line."""
    if language not in SUPPORTED_LANGUAGES:
        return "\n".join(channel_text(key, code) for code in SUPPORTED_LANGUAGES)
    catalog = get_catalog()
    if catalog.has(key, language):
        return catalog.text(key, language)
    return FALLBACK_TEXTS[key][language]


def command_descriptions(language: str | None) -> dict[str, str]:
    """Command -> description; without a language, the three languages side by side."""
    if language in SUPPORTED_LANGUAGES:
        return {command: channel_text(key, language) for command, key in COMMAND_KEYS.items()}
    return {
        command: " / ".join(channel_text(key, code) for code in SUPPORTED_LANGUAGES)
        for command, key in COMMAND_KEYS.items()
    }

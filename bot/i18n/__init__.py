"""Every text the citizen reads, in every supported language.

`locales/<lang>.yml` holds one language each, so a translator edits one file alone.
`buttons.py` holds which buttons go with which response (language independent
payloads, translated titles). `nlg.py` answers Rasa's NLG endpoint.
"""

from bot.i18n.catalog import Catalog, get_catalog, render

__all__ = ["Catalog", "get_catalog", "render"]

"""The same responses as the action server's `/nlg`, rendered inside the Rasa server.

Rasa's callback NLG posts the whole tracker (every event, serialised to JSON) to the
action server for every response it utters, and a turn utters several. Rendering a
response needs only two slots (the language and the given name), so endpoints.yml
names this class instead (`nlg: type: bot.i18n.rasa_nlg.CatalogNaturalLanguageGenerator`):
no HTTP round trip and no tracker serialisation per response. The texts come from
the one catalog (bot/i18n/locales), through the same `respond` as the HTTP endpoint,
which stays for deployments that keep a remote NLG.
"""

from __future__ import annotations

from typing import Any

from rasa.core.nlg.generator import NaturalLanguageGenerator
from rasa.shared.core.trackers import DialogueStateTracker

from bot.i18n.catalog import Catalog, get_catalog
from bot.i18n.nlg import SLOTS_READ, respond


class CatalogNaturalLanguageGenerator(NaturalLanguageGenerator):
    """Renders `utter_*` responses from the catalog in the conversation's language."""

    def __init__(self, catalog: Catalog | None = None, **_: Any) -> None:
        # Rasa passes `endpoint_config` and `domain`; the catalog needs neither.
        self._catalog = catalog or get_catalog()

    async def generate(
        self,
        utter_action: str,
        tracker: DialogueStateTracker,
        output_channel: str,
        **kwargs: Any,
    ) -> dict[str, Any] | None:
        slots = {name: tracker.get_slot(name) for name in SLOTS_READ}
        body = {"response": utter_action, "arguments": kwargs, "tracker": {"slots": slots}}
        return respond(body, self._catalog)

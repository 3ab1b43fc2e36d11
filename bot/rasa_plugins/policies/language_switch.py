"""Offers a language switch when the citizen clearly writes in another language.

`action_validate_slot_mappings` records the language of each message in the slot
`detected_language` (only when lingua is confident and the message long enough).
This policy predicts `action_offer_language_switch` when that differs from the chosen
`language`, once per language, and then waits for the citizen's answer. It outranks
the RulePolicy so that the offer also happens inside a form; the form resumes after.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_plugins.policies.base import Choice, RuleOnTrackerPolicy

OFFER_ACTION = "action_offer_language_switch"
# A message in a form must be this long before we interrupt the question with an offer.
MIN_WORDS_IN_FORM = 4
NEVER_OFFER_ON = ("switch_language", "affirm", "deny", "inform")


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False
)
class LanguageSwitchPolicy(RuleOnTrackerPolicy):
    PRIORITY = 7

    def choose(self, tracker: DialogueStateTracker) -> Choice | None:
        action = self._offer_or_listen(tracker)
        return Choice(action) if action else None

    @staticmethod
    def _offer_or_listen(tracker: DialogueStateTracker) -> str | None:
        if tracker.latest_action_name == OFFER_ACTION:
            return ACTION_LISTEN_NAME
        if tracker.latest_action_name != ACTION_LISTEN_NAME:
            return None
        detected = tracker.get_slot("detected_language")
        current = tracker.get_slot("language")
        declined = tracker.get_slot("declined_languages") or []
        if not detected or not current or detected == current or detected in declined:
            return None
        message = tracker.latest_message
        intent = (message.intent or {}).get("name") if message else None
        if intent in NEVER_OFFER_ON:
            return None
        words = len((message.text or "").split()) if message else 0
        if tracker.active_loop_name and words < MIN_WORDS_IN_FORM:
            return None
        return OFFER_ACTION

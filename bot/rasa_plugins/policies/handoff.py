"""Keeps the assistant silent while a counsellor holds the conversation.

The slot `handoff_active` is set by `action_handoff_sync`, which the console runs through
Rasa's HTTP API when a counsellor takes or gives back a conversation (the database is
the truth; the slot is the dialogue's copy of it). While it is true, every citizen
message is relayed to the counsellor by `action_handoff_relay` and the assistant says
nothing else. `handoff_leaving_message` (outside office hours) does the same for the one
message a citizen leaves for the counsellors.

It outranks every other policy (RulePolicy, forms, the language offer): a form in
progress stays where it was and continues after the hand-back. One exception: the
button that confirms "delete my data" is obeyed even while a counsellor holds the
conversation (the relay offers that button when the citizen asks for it).
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_plugins.policies.base import Choice, RuleOnTrackerPolicy

RELAY_ACTION = "action_handoff_relay"
REQUEST_ACTION = "action_request_handoff"
SYNC_ACTION = "action_handoff_sync"
HOLD_SLOTS = ("handoff_active", "handoff_leaving_message")
# Only a button sends it: a citizen's right to be forgotten does not wait for a hand-back.
FORGET_CONFIRMED_INTENT = "forget_me_confirmed"


def next_action_while_held(tracker: DialogueStateTracker) -> str | None:
    """The relay after a citizen message, then listening; None when nobody holds it.

    The relay and the sync always end the bot's turn (they say all there is to say,
    including the form's question on a hand-back). After the handoff request, the turn
    ends too when the citizen is invited to leave a message.
    """
    if tracker.latest_action_name in (RELAY_ACTION, SYNC_ACTION):
        return ACTION_LISTEN_NAME
    if not any(tracker.get_slot(slot) is True for slot in HOLD_SLOTS):
        return None
    if tracker.latest_action_name == ACTION_LISTEN_NAME:
        if tracker.latest_message and tracker.latest_message.intent.get("name") == (
            FORGET_CONFIRMED_INTENT
        ):
            return None  # the rules run action_forget_me
        return RELAY_ACTION
    if tracker.latest_action_name == REQUEST_ACTION:
        return ACTION_LISTEN_NAME
    return None


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False
)
class HandoffPolicy(RuleOnTrackerPolicy):
    PRIORITY = 8

    def choose(self, tracker: DialogueStateTracker) -> Choice | None:
        action = next_action_while_held(tracker)
        # It must outrank the form, so that a form in progress waits for the hand-back.
        return Choice(action, outranks_forms=True) if action else None

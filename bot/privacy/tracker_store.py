"""Rasa's SQL tracker store, which forgets a conversation when the citizen asks.

`action_forget_me` runs on the action server, but the conversation's events live here,
in the Rasa process, and Rasa saves the tracker after the action has returned: events
deleted from inside the action would come back, because `SQLTrackerStore.save` appends
every event it does not find stored. So the deletion happens here, in `save`: a turn in
which `action_forget_me` ran to its end deletes every stored event of the conversation
and stores nothing. The citizen's next message starts a new conversation (and Rasa sends
the privacy notice again).

endpoints.yml names it, with the settings of Rasa's `type: SQL`:

    tracker_store:
      type: bot.privacy.tracker_store.ForgettingSQLTrackerStore
      dialect: "sqlite"
      db: "var/tracker.db"

Rasa 3.6 builds a tracker store named by its module path with
`cls(host=<url>, domain=..., event_broker=..., **<the other keys>)`, which is exactly what
`SQLTrackerStore.__init__` takes.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, AllSlotsReset, Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

logger = logging.getLogger(__name__)

FORGET_ACTION = "action_forget_me"


def ran_forget_me(events: Iterable[Event]) -> bool:
    """Did `action_forget_me` run to its end among these events?

    Its own events (the slots reset) follow it only when it succeeded: when the action
    failed, Rasa logs it without them, and the conversation is kept.
    """
    forgetting = False
    for event in events:
        if isinstance(event, ActionExecuted):
            forgetting = event.action_name == FORGET_ACTION
        elif forgetting and isinstance(event, AllSlotsReset):
            return True
    return False


class ForgettingSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` whose `save` deletes the conversation after `action_forget_me`.

    `save` is Rasa's own, written out here so that the unsaved events are counted once
    per turn (Rasa's count query runs a sub-query over the conversation's events).
    """

    async def save(self, tracker: DialogueStateTracker) -> None:
        with self.session_scope() as session:
            unsaved = list(self._additional_events(session, tracker))
            if ran_forget_me(unsaved):
                deleted = (
                    session.query(self.SQLEvent)
                    .filter(self.SQLEvent.sender_id == tracker.sender_id)
                    .delete(synchronize_session=False)
                )
                session.commit()
                logger.info("conversation forgotten: %d stored events deleted", deleted)
                return
            await self.stream_events(tracker)
            for event in unsaved:
                session.add(self._row(tracker.sender_id, event))
            session.commit()

    def _row(self, sender_id: str, event: Event) -> Any:
        """One stored event, with the columns Rasa's `SQLTrackerStore.save` fills."""
        data = event.as_dict()
        return self.SQLEvent(
            sender_id=sender_id,
            type_name=event.type_name,
            timestamp=data.get("timestamp"),
            intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            action_name=data.get("name"),
            data=json.dumps(data),
        )

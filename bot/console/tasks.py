"""The task each waiting citizen is in the middle of, for the queue.

Read from Rasa's tracker *state* (include_events=NONE: slots and the active form, no
message), all conversations at once and with a short deadline, so that a slow or absent
Rasa leaves the queue usable ("unknown") rather than late.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from bot.console.labels import task_label
from bot.console.rasa_api import RasaApi, RasaUnavailable

TASK_DEADLINE_SECONDS = 3.0


async def _task_of(rasa: RasaApi, conversation_id: str) -> str:
    try:
        state = await asyncio.wait_for(
            rasa.tracker(conversation_id, include_events="NONE"), TASK_DEADLINE_SECONDS
        )
    except (RasaUnavailable, asyncio.TimeoutError):
        return task_label(None)
    return task_label(state)


async def tasks_in_progress(rasa: RasaApi, conversation_ids: Iterable[str]) -> dict[str, str]:
    """conversation id -> what the citizen is doing (form and question), or "unknown"."""
    ids = list(dict.fromkeys(conversation_ids))
    labels = await asyncio.gather(*(_task_of(rasa, cid) for cid in ids))
    return dict(zip(ids, labels, strict=True))

"""How long a citizen may wait: a rough estimate from the queue."""

from __future__ import annotations

import math

from sqlalchemy.orm import sessionmaker

from bot.handoff.queries import queue_position


def estimated_wait_minutes(
    factory: sessionmaker,
    request_id: int,
    minutes_per_conversation: int = 8,
    counsellors_online: int = 1,
) -> int:
    """Rough wait: the rounds of conversations before this one, times their length.

    0 when the request is not waiting. Position 1 with one counsellor online waits one
    conversation (the counsellor is assumed busy).
    """
    position = queue_position(factory, request_id)
    if position == 0:
        return 0
    rounds = math.ceil(position / max(1, counsellors_online))
    return rounds * max(0, minutes_per_conversation)

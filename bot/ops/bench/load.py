"""The load runner: N simulated citizens at once, each holding whole conversations.

One level = `concurrency` workers. Each worker takes the next conversation number and
holds that whole conversation, then the next, until `max_conversations` have been started
or `max_seconds` have passed since the level started. Conversations already started are
finished, nothing is cut off half-way, unless still running `drain_seconds` later (the
level's hard deadline): those count as timeouts. Conversation k of the level goes to
Rasa instance k mod (number of instances), so a conversation always stays on one
instance, and over socket.io when ceil((k+1) * share) > ceil(k * share) (so the first
one, then one in 1/share), else over REST.

A conversation fails once, by its first problem: "http" (an error status or an answer
that is not a list of messages), "timeout" (no answer within the turn timeout),
"connection" (refused, reset) or "incomplete" (the assistant answered but the citizen
did not get what they came for; scripts.py); "client" is an unexpected exception in
the bench itself (it should stay 0). The latencies of the turns it did complete still
count.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import aiohttp

from bot.ops.bench.scripts import Incomplete, Scenario, Talk
from bot.ops.bench.transports import RestTransport, SocketTransport, Transport, TurnError

ERROR_KINDS = ("http", "timeout", "connection", "incomplete", "client")


@dataclass(frozen=True)
class LevelPlan:
    concurrency: int
    max_conversations: int
    max_seconds: float
    turn_timeout: float = 60.0
    socketio_share: float = 0.2
    first_index: int = 0  # citizen numbers of this level start here (unique per run)
    drain_seconds: float = 300.0  # after max_seconds, to finish what was started


@dataclass
class Outcome:
    """One conversation: its turns' latencies and how it ended."""

    kind: str
    channel: str
    instance: int
    latencies: list[float]
    error: str | None = None  # one of ERROR_KINDS
    detail: str = ""
    finished: bool = False


@dataclass
class LevelRun:
    plan: LevelPlan
    elapsed: float = 0.0
    outcomes: list[Outcome] = field(default_factory=list)


def uses_socketio(number: int, share: float) -> bool:
    """Conversation `number` of a level goes over socket.io (a `share` of them)."""
    if share <= 0:
        return False
    return math.ceil((number + 1) * share - 1e-9) > math.ceil(number * share - 1e-9)


async def hold(
    scenario: Scenario,
    index: int,
    rasa_url: str,
    instance: int,
    socketio: bool,
    http: aiohttp.ClientSession,
    turn_timeout: float,
    sender_prefix: str,
    outcomes: list[Outcome],
) -> None:
    """Hold conversation `index` from its first message to its end; its outcome is in
    `outcomes` from the start (unfinished if the level's hard deadline cancels it)."""
    conversation = scenario.conversation(index)
    if socketio:
        transport: Transport = SocketTransport(rasa_url, turn_timeout, conversation.language)
    else:
        transport = RestTransport(http, rasa_url, f"{sender_prefix}-{index}", turn_timeout)
    talk = Talk(transport)
    outcome = Outcome(conversation.kind, transport.channel, instance, talk.latencies)
    outcomes.append(outcome)
    try:
        await transport.open()
        await conversation.play(talk)
    except TurnError as error:
        outcome.error, outcome.detail = error.kind, error.detail
    except Incomplete as error:
        outcome.error = "incomplete"
        outcome.detail = f"{error.reason}; last answer: {error.last_said[:300]!r}"
    except Exception as error:  # a bug of the bench must not stop the other citizens
        outcome.error, outcome.detail = "client", repr(error)[:300]
    finally:
        await transport.close()
    outcome.finished = True  # not reached when the hard deadline cancelled it


async def run_level(
    scenario: Scenario, rasa_urls: Sequence[str], plan: LevelPlan, sender_prefix: str
) -> LevelRun:
    """Run one level against the Rasa instances at `rasa_urls`."""
    run = LevelRun(plan)
    started = time.monotonic()
    deadline = started + plan.max_seconds
    next_number = 0
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def worker() -> None:
            nonlocal next_number
            while next_number < plan.max_conversations and time.monotonic() < deadline:
                number = next_number
                next_number += 1
                instance = number % len(rasa_urls)
                await hold(
                    scenario,
                    plan.first_index + number,
                    rasa_urls[instance],
                    instance,
                    uses_socketio(number, plan.socketio_share),
                    http,
                    plan.turn_timeout,
                    sender_prefix,
                    run.outcomes,
                )

        workers = [asyncio.ensure_future(worker()) for _ in range(plan.concurrency)]
        done, pending = await asyncio.wait(workers, timeout=plan.max_seconds + plan.drain_seconds)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        for task in done:
            task.result()  # a bug of the runner itself is raised here
    for outcome in run.outcomes:
        if not outcome.finished:
            outcome.error = "timeout"
            outcome.detail = "still running at the level's hard deadline"
    run.elapsed = time.monotonic() - started
    return run

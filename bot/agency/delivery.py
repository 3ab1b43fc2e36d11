"""Sending leased outbox rows to the agency and recording its answer.

The outbox is synchronous; every call to it runs in a worker thread, so the event loop
never waits on the database. Logs carry references, kinds, statuses and error codes only.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from bot.agency.errors import AgencyRejected, AgencyUnavailable, AlreadyRegistered
from bot.agency.outbox import Outbox
from bot.agency.records import Lease, SubmissionRecord
from bot.agency.retry import RETRYABLE_REJECTIONS, UNAVAILABLE

log = logging.getLogger(__name__)


async def deliver(client: Any, outbox: Outbox, lease: Lease) -> SubmissionRecord:
    """Send one leased row and record the agency's answer."""
    if lease.kind == "jobseeker":
        send = client.register_jobseeker
    elif lease.kind == "document_request":
        send = client.request_document
    else:  # pragma: no cover - add() refuses other kinds
        raise ValueError(f"unknown kind {lease.kind!r}")
    try:
        response = await send(lease.payload, lease.idempotency_key)
    except AlreadyRegistered as exc:
        record = await asyncio.to_thread(
            outbox.mark_rejected, lease, "already_registered", exc.response, exc.reference
        )
    except AgencyRejected as exc:
        if exc.status in RETRYABLE_REJECTIONS:
            record = await asyncio.to_thread(outbox.mark_failed, lease, f"http_{exc.status}")
        else:
            record = await asyncio.to_thread(outbox.mark_rejected, lease, exc.error, exc.response)
    except AgencyUnavailable:
        record = await asyncio.to_thread(outbox.mark_failed, lease, UNAVAILABLE)
    except Exception as exc:  # a bug or an unexpected answer: release, back off, retry
        log.error(
            "outbox %s: unexpected delivery error %s", lease.local_reference, type(exc).__name__
        )
        record = await asyncio.to_thread(outbox.mark_failed, lease, type(exc).__name__)
    else:
        reference = response.get("reference") if isinstance(response, dict) else None
        record = await asyncio.to_thread(
            outbox.mark_delivered, lease, reference, response if isinstance(response, dict) else {}
        )
    log.info(
        "outbox %s (%s) -> %s attempt=%d error=%s",
        record.local_reference,
        record.kind,
        record.status,
        record.attempts,
        record.last_error,
    )
    return record


async def deliver_pending(client: Any, outbox: Outbox, limit: int = 50) -> int:
    """Deliver the due pending rows (at most `limit`); returns how many got a final answer
    (delivered or rejected). Stops early when the agency is unavailable."""
    finished = 0
    for local_reference in await asyncio.to_thread(outbox.due, limit):
        lease = await asyncio.to_thread(outbox.claim, local_reference)
        if lease is None:
            continue  # another worker has it, or it was delivered meanwhile
        record = await deliver(client, outbox, lease)
        if record.status != "pending":
            finished += 1
        elif record.last_error == UNAVAILABLE:
            break  # the rest waits for the next round rather than for more timeouts
    return finished

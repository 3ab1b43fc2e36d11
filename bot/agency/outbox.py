"""Durable outbox: every submission is a row before it is a request.

* :class:`Outbox` is the table's API (synchronous SQLAlchemy, short transactions). The async
  functions below run it in a worker thread so the event loop never waits on the database.
* Claims are leases: `claimed_until` is set by a compare-and-set UPDATE, so two workers
  (tasks, threads or processes) never send the same row at the same time, and a worker that
  died only holds its rows until the lease runs out. Finishing is fenced by the lease value.
* The agency sees the row's Idempotency-Key on every attempt: exactly one record there.

Logs carry local references, kinds, statuses and error codes only; never a payload.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import logging
import re
import secrets
import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from bot.agency.errors import AgencyRejected, AgencyUnavailable, AlreadyRegistered
from bot.agency.models import KINDS, OutboxSubmission
from bot.db import session_scope

log = logging.getLogger(__name__)

REFERENCE_ALPHABET = string.ascii_uppercase + string.digits
# Payload fields dropped once a row is final (delivered or rejected): data minimisation.
PERSONAL_FIELDS = frozenset(
    {"national_number", "given_name", "family_name", "birth_date", "phone", "email"}
)
# Refusals that say nothing about the submission itself (credentials, rate limits): the
# row stays pending and is tried again later instead of being rejected for good.
RETRYABLE_REJECTIONS = frozenset({401, 403, 408, 425, 429})
UNAVAILABLE = "unavailable"


def _utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _new_local_reference() -> str:
    return "Q-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def _error_code(value: str) -> str:
    code = re.sub(r"[^a-z0-9_]+", "_", str(value).lower()).strip("_")
    return (code or "error")[:64]


def _redacted(payload: dict) -> dict:
    return {k: v for k, v in payload.items() if k not in PERSONAL_FIELDS}


@dataclass(frozen=True)
class SubmissionRecord:
    """A snapshot of one outbox row, without its payload (personal data stays in the DB)."""

    local_reference: str
    kind: str
    status: str  # pending | delivered | rejected
    conversation_id: str | None
    attempts: int
    last_error: str | None
    agency_reference: str | None
    response: dict | None
    created_at: datetime
    updated_at: datetime
    next_attempt_at: datetime | None

    @property
    def waiting(self) -> bool:
        """True while the submission is waiting to be sent to the agency."""
        return self.status == "pending"

    @property
    def reference(self) -> str:
        """The agency's reference once known, else the local Q- reference."""
        return self.agency_reference or self.local_reference


@dataclass(frozen=True)
class Lease:
    """A claimed row: what a worker needs to send it, and the fence to finish it."""

    local_reference: str
    kind: str
    idempotency_key: str
    payload: dict
    attempts: int
    claimed_until: datetime


def _record(row: OutboxSubmission) -> SubmissionRecord:
    return SubmissionRecord(
        local_reference=row.local_reference,
        kind=row.kind,
        status=row.status,
        conversation_id=row.conversation_id,
        attempts=row.attempts,
        last_error=row.last_error,
        agency_reference=row.agency_reference,
        response=row.response,
        created_at=row.created_at,
        updated_at=row.updated_at,
        next_attempt_at=row.next_attempt_at,
    )


class Outbox:
    """The `outbox_submissions` table.

    `lease_seconds` must exceed the longest delivery (client attempts x timeout + backoff).
    A row that failed is due again after `retry_base_seconds * 2**(attempts-1)`, at most
    `retry_max_seconds`; rows stay pending until the agency answers for good.
    """

    def __init__(
        self,
        session_factory: sessionmaker,
        *,
        lease_seconds: float = 300.0,
        retry_base_seconds: float = 30.0,
        retry_max_seconds: float = 3600.0,
        fresh_grace_seconds: float = 60.0,
    ) -> None:
        self.session_factory = session_factory
        self.lease_seconds = lease_seconds
        # A new row is delivered at once by the process that wrote it (`submit`); the
        # worker only takes it over after this grace, e.g. when that process died.
        # Without it the worker could claim the row first and the citizen would be told
        # "queued" while the agency is up.
        self.fresh_grace_seconds = fresh_grace_seconds
        self.retry_base_seconds = retry_base_seconds
        self.retry_max_seconds = retry_max_seconds

    # ------------------------------------------------------------------ writing

    def add(
        self, kind: str, payload: dict, idempotency_key: str, conversation_id: str | None
    ) -> tuple[SubmissionRecord, bool]:
        """Store a submission (durably) unless its idempotency key is known already.

        Returns the row and whether it was created now."""
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}")
        if not idempotency_key or len(idempotency_key) > 255:
            raise ValueError("idempotency_key must be 1 to 255 characters")
        if not isinstance(payload, dict):
            raise TypeError("payload must be a dict")
        stored_payload = json.loads(json.dumps(payload))  # JSON-safe copy, fails early
        for _ in range(5):
            try:
                with session_scope(self.session_factory) as session:
                    existing = session.execute(
                        select(OutboxSubmission).where(
                            OutboxSubmission.idempotency_key == idempotency_key
                        )
                    ).scalar_one_or_none()
                    if existing is not None:
                        if existing.kind != kind:
                            raise ValueError("idempotency_key already used for another kind")
                        return _record(existing), False
                    now = _utcnow()
                    row = OutboxSubmission(
                        local_reference=_new_local_reference(),
                        kind=kind,
                        idempotency_key=idempotency_key,
                        payload=stored_payload,
                        conversation_id=conversation_id,
                        status="pending",
                        attempts=0,
                        created_at=now,
                        updated_at=now,
                        next_attempt_at=now + timedelta(seconds=self.fresh_grace_seconds),
                    )
                    session.add(row)
                    session.flush()
                    record = _record(row)
                log.info("outbox %s queued (%s)", record.local_reference, kind)
                return record, True
            except IntegrityError:
                # The same key added concurrently (the next round finds it) or, very
                # rarely, a local reference collision (the next round draws another).
                continue
        raise RuntimeError("could not store the submission")

    def claim(self, local_reference: str, *, due_only: bool = True) -> Lease | None:
        """Take the lease of a pending row, or None if it is final, leased or not due."""
        now = _utcnow()
        until = now + timedelta(seconds=self.lease_seconds)
        conditions = [
            OutboxSubmission.local_reference == local_reference,
            OutboxSubmission.status == "pending",
            or_(OutboxSubmission.claimed_until.is_(None), OutboxSubmission.claimed_until < now),
        ]
        if due_only:
            conditions.append(
                or_(
                    OutboxSubmission.next_attempt_at.is_(None),
                    OutboxSubmission.next_attempt_at <= now,
                )
            )
        with session_scope(self.session_factory) as session:
            result = session.execute(
                update(OutboxSubmission)
                .where(*conditions)
                .values(
                    claimed_until=until,
                    attempts=OutboxSubmission.attempts + 1,
                    updated_at=now,
                )
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:
                return None
            row = session.execute(
                select(OutboxSubmission).where(OutboxSubmission.local_reference == local_reference)
            ).scalar_one()
            return Lease(
                local_reference=row.local_reference,
                kind=row.kind,
                idempotency_key=row.idempotency_key,
                payload=dict(row.payload),
                attempts=row.attempts,
                claimed_until=until,
            )

    def mark_delivered(
        self, lease: Lease, agency_reference: str | None, response: dict
    ) -> SubmissionRecord:
        return self._finish(
            lease,
            status="delivered",
            agency_reference=agency_reference,
            response=response,
            last_error=None,
        )

    def mark_rejected(
        self, lease: Lease, error: str, response: dict, agency_reference: str | None = None
    ) -> SubmissionRecord:
        return self._finish(
            lease,
            status="rejected",
            agency_reference=agency_reference,
            response=response,
            last_error=_error_code(error),
        )

    def mark_failed(self, lease: Lease, error: str) -> SubmissionRecord:
        """The attempt failed but may succeed later: release the lease, back off."""
        now = _utcnow()
        delay = min(
            self.retry_base_seconds * 2 ** max(lease.attempts - 1, 0), self.retry_max_seconds
        )
        return self._update_leased(
            lease,
            claimed_until=None,
            next_attempt_at=now + timedelta(seconds=delay),
            last_error=_error_code(error),
            updated_at=now,
        )

    def _finish(self, lease: Lease, *, status: str, **values: Any) -> SubmissionRecord:
        return self._update_leased(
            lease,
            status=status,
            payload=_redacted(lease.payload),
            claimed_until=None,
            next_attempt_at=None,
            updated_at=_utcnow(),
            **values,
        )

    def _update_leased(self, lease: Lease, **values: Any) -> SubmissionRecord:
        with session_scope(self.session_factory) as session:
            result = session.execute(
                update(OutboxSubmission)
                .where(
                    OutboxSubmission.local_reference == lease.local_reference,
                    OutboxSubmission.status == "pending",
                    OutboxSubmission.claimed_until == lease.claimed_until,
                )
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:
                # The lease ran out and another worker took over: its result stands (the
                # agency gave both the same answer, thanks to the Idempotency-Key).
                log.warning("outbox %s: lease lost, result not recorded", lease.local_reference)
            row = session.execute(
                select(OutboxSubmission).where(
                    OutboxSubmission.local_reference == lease.local_reference
                )
            ).scalar_one()
            return _record(row)

    # ------------------------------------------------------------------ reading

    def due(self, limit: int = 50) -> list[str]:
        """Local references of pending rows that are due and not leased, oldest first."""
        now = _utcnow()
        with session_scope(self.session_factory) as session:
            return list(
                session.execute(
                    select(OutboxSubmission.local_reference)
                    .where(
                        OutboxSubmission.status == "pending",
                        or_(
                            OutboxSubmission.next_attempt_at.is_(None),
                            OutboxSubmission.next_attempt_at <= now,
                        ),
                        or_(
                            OutboxSubmission.claimed_until.is_(None),
                            OutboxSubmission.claimed_until < now,
                        ),
                    )
                    .order_by(OutboxSubmission.next_attempt_at, OutboxSubmission.id)
                    .limit(limit)
                ).scalars()
            )

    def find_by_reference(self, reference: str) -> SubmissionRecord | None:
        """By local reference (Q-XXXXXXXX) or by the agency's reference (JS-/DR-...)."""
        reference = (reference or "").strip()
        if not reference:
            return None
        candidates = {reference, reference.upper()}
        with session_scope(self.session_factory) as session:
            row = (
                session.execute(
                    select(OutboxSubmission)
                    .where(
                        or_(
                            OutboxSubmission.local_reference.in_(candidates),
                            OutboxSubmission.agency_reference.in_(candidates),
                        )
                    )
                    .order_by(OutboxSubmission.id.desc())
                )
                .scalars()
                .first()
            )
            return None if row is None else _record(row)

    def find_by_idempotency_key(self, idempotency_key: str) -> SubmissionRecord | None:
        with session_scope(self.session_factory) as session:
            row = session.execute(
                select(OutboxSubmission).where(OutboxSubmission.idempotency_key == idempotency_key)
            ).scalar_one_or_none()
            return None if row is None else _record(row)

    def find_by_conversation(self, conversation_id: str) -> list[SubmissionRecord]:
        """The submissions of one conversation (sender id), newest first."""
        with session_scope(self.session_factory) as session:
            rows = session.execute(
                select(OutboxSubmission)
                .where(OutboxSubmission.conversation_id == conversation_id)
                .order_by(OutboxSubmission.created_at.desc(), OutboxSubmission.id.desc())
            ).scalars()
            return [_record(row) for row in rows]

    def pending_count(self) -> int:
        with session_scope(self.session_factory) as session:
            return session.execute(
                select(func.count(OutboxSubmission.id)).where(OutboxSubmission.status == "pending")
            ).scalar_one()


# ---------------------------------------------------------------------- delivery


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


class OutboxWorker:
    """Runs :func:`deliver_pending` every `poll_seconds` as an asyncio task.

        worker = OutboxWorker(lambda: AgencyClient.from_settings(settings), outbox, 10)
        worker.start()        # inside a running event loop (e.g. a server start hook)
        worker.wake()         # optional: deliver now (e.g. right after queueing a row)
        await worker.stop()

    `client_factory` is called once per start() and may return an awaitable; the client is
    closed on stop().
    """

    def __init__(
        self,
        client_factory: Callable[[], Any],
        outbox: Outbox,
        poll_seconds: float = 10.0,
        *,
        limit: int = 50,
    ) -> None:
        self.client_factory = client_factory
        self.outbox = outbox
        self.poll_seconds = poll_seconds
        self.limit = limit
        self.rounds = 0
        self._task: asyncio.Task | None = None
        self._stopping: asyncio.Event | None = None
        self._wake: asyncio.Event | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        """Start the periodic task (no-op when already running). Not a coroutine."""
        if self.running:
            return
        self._stopping = asyncio.Event()
        self._wake = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(self._run(), name="outbox-worker")

    def wake(self) -> None:
        if self._wake is not None:
            self._wake.set()

    async def stop(self, timeout: float = 10.0) -> None:
        """Stop after the current round (cancelled after `timeout` seconds)."""
        task, self._task = self._task, None
        if task is None:
            return
        assert self._stopping is not None
        self._stopping.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout)
        except asyncio.TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        assert self._stopping is not None and self._wake is not None
        try:
            client = self.client_factory()
            if inspect.isawaitable(client):
                client = await client
        except Exception:
            log.exception("outbox worker: could not create the agency client")
            return
        try:
            while not self._stopping.is_set():
                try:
                    finished = await deliver_pending(client, self.outbox, self.limit)
                    if finished:
                        log.info("outbox worker: %d submission(s) finished", finished)
                except Exception:
                    log.exception("outbox worker: delivery round failed")
                self.rounds += 1
                await self._sleep()
        finally:
            close = getattr(client, "close", None)
            if close is not None:
                result = close()
                if inspect.isawaitable(result):
                    await result

    async def _sleep(self) -> None:
        assert self._stopping is not None and self._wake is not None
        waiters = [
            asyncio.ensure_future(self._stopping.wait()),
            asyncio.ensure_future(self._wake.wait()),
        ]
        try:
            await asyncio.wait(
                waiters, timeout=self.poll_seconds, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            for waiter in waiters:
                waiter.cancel()
            self._wake.clear()

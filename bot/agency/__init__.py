"""Talking to the employment agency: HTTP client, durable outbox, submission flow.

submission.py  submit(): durable first, then delivered; idempotency_key_for()
client.py      AgencyClient: the agency's API over HTTP (retries, one Idempotency-Key)
oauth.py       the client's OAuth2 token, cached and renewed in time
errors.py      what the client raises
models.py      the outbox table (`outbox_submissions`)
records.py     snapshots of outbox rows and leases; UTC-aware times
outbox.py      Outbox: add, lease and finish rows (the write side)
queries.py     OutboxQueries: due rows, lookups by reference, key, conversation
retry.py       which failed deliveries are tried again, and when
delivery.py    deliver one leased row, or every due row
worker.py      OutboxWorker: deliver_pending() in the background
"""

from bot.agency.client import AgencyClient
from bot.agency.delivery import deliver_pending
from bot.agency.errors import AgencyError, AgencyRejected, AgencyUnavailable, AlreadyRegistered
from bot.agency.models import OutboxSubmission
from bot.agency.outbox import Outbox
from bot.agency.records import SubmissionRecord
from bot.agency.submission import SubmissionOutcome, idempotency_key_for, submit
from bot.agency.worker import OutboxWorker

__all__ = [
    "AgencyClient",
    "AgencyError",
    "AgencyRejected",
    "AgencyUnavailable",
    "AlreadyRegistered",
    "Outbox",
    "OutboxSubmission",
    "OutboxWorker",
    "SubmissionOutcome",
    "SubmissionRecord",
    "deliver_pending",
    "idempotency_key_for",
    "submit",
]

"""Talking to the employment agency: HTTP client, durable outbox, submission flow."""

from bot.agency.client import AgencyClient
from bot.agency.errors import AgencyError, AgencyRejected, AgencyUnavailable, AlreadyRegistered
from bot.agency.models import OutboxSubmission
from bot.agency.outbox import Outbox, OutboxWorker, SubmissionRecord, deliver_pending
from bot.agency.submission import SubmissionOutcome, idempotency_key_for, submit

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

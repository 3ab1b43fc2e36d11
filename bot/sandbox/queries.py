"""Every query of the sandbox on its own tables (inside the caller's transaction)."""

from __future__ import annotations

import secrets
import string
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.sandbox.models import DocumentRequest, Jobseeker

REFERENCE_ALPHABET = string.ascii_uppercase + string.digits
JOBSEEKER_PREFIX = "JS-"
DOCUMENT_REQUEST_PREFIX = "DR-"

Row = TypeVar("Row", Jobseeker, DocumentRequest)


def new_reference(prefix: str) -> str:
    return prefix + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def free_reference(session: Session, model: type[Row], prefix: str) -> str:
    """A new reference no row of `model` has yet (the unique constraint settles races)."""
    while True:
        reference = new_reference(prefix)
        taken = session.execute(
            select(model.id).where(model.reference == reference)
        ).scalar_one_or_none()
        if taken is None:
            return reference


def by_reference(session: Session, model: type[Row], reference: str) -> Row | None:
    return session.execute(select(model).where(model.reference == reference)).scalar_one_or_none()


def jobseeker_by_national_number(session: Session, national_number: str) -> Jobseeker | None:
    return session.execute(
        select(Jobseeker).where(Jobseeker.national_number == national_number)
    ).scalar_one_or_none()


def count(session: Session, model: type[Row]) -> int:
    return session.execute(select(func.count(model.id))).scalar_one()

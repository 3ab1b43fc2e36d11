"""Tables of the agency sandbox: its OWN declarative base and database.

Nothing here touches `bot.db.Base`: the sandbox stands in for the agency's system, which
the assistant never reads directly. Times are written timezone-aware in UTC; SQLite gives
them back naive, and UTC still.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Date, DateTime, Integer, String, Text
from sqlalchemy.orm import DeclarativeMeta, Mapped, declarative_base

SandboxBase: DeclarativeMeta = declarative_base()


class Jobseeker(SandboxBase):
    __tablename__ = "jobseekers"

    id: Mapped[int] = Column(Integer, primary_key=True)
    reference: Mapped[str] = Column(String(16), unique=True, nullable=False)
    national_number: Mapped[str] = Column(String(11), unique=True, nullable=False)
    given_name: Mapped[str] = Column(String(100), nullable=False)
    family_name: Mapped[str] = Column(String(100), nullable=False)
    birth_date: Mapped[date] = Column(Date, nullable=False)
    postcode: Mapped[str] = Column(String(4), nullable=False)
    phone: Mapped[str] = Column(String(16), nullable=False)
    email: Mapped[str | None] = Column(String(254), nullable=True)
    education_level: Mapped[str] = Column(String(16), nullable=False)
    occupation: Mapped[str] = Column(String(200), nullable=False)
    language: Mapped[str] = Column(String(2), nullable=False)
    agency: Mapped[str] = Column(String(16), nullable=False)
    status: Mapped[str] = Column(String(40), nullable=False)
    created_at: Mapped[datetime] = Column(DateTime(timezone=True), nullable=False)
    updated_at: Mapped[datetime] = Column(DateTime(timezone=True), nullable=False)


class DocumentRequest(SandboxBase):
    __tablename__ = "document_requests"

    id: Mapped[int] = Column(Integer, primary_key=True)
    reference: Mapped[str] = Column(String(16), unique=True, nullable=False)
    document_type: Mapped[str] = Column(String(40), nullable=False)
    national_number: Mapped[str] = Column(String(11), nullable=False, index=True)
    delivery: Mapped[str] = Column(String(16), nullable=False)
    given_name: Mapped[str | None] = Column(String(100), nullable=True)
    family_name: Mapped[str | None] = Column(String(100), nullable=True)
    postcode: Mapped[str | None] = Column(String(4), nullable=True)
    email: Mapped[str | None] = Column(String(254), nullable=True)
    language: Mapped[str | None] = Column(String(2), nullable=True)
    status: Mapped[str] = Column(String(40), nullable=False)
    expected_days: Mapped[int] = Column(Integer, nullable=False)
    created_at: Mapped[datetime] = Column(DateTime(timezone=True), nullable=False)
    updated_at: Mapped[datetime] = Column(DateTime(timezone=True), nullable=False)


class IdempotencyKey(SandboxBase):
    """The first answer given under an Idempotency-Key, replayed byte for byte."""

    __tablename__ = "idempotency_keys"

    id: Mapped[int] = Column(Integer, primary_key=True)
    key: Mapped[str] = Column(String(255), unique=True, nullable=False)
    method: Mapped[str] = Column(String(8), nullable=False)
    path: Mapped[str] = Column(String(255), nullable=False)
    request_hash: Mapped[str] = Column(String(64), nullable=False)
    response_status: Mapped[int] = Column(Integer, nullable=False)
    response_body: Mapped[str] = Column(Text, nullable=False)
    created_at: Mapped[datetime] = Column(DateTime(timezone=True), nullable=False)

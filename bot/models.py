"""Every table of the project's own database, for Alembic and for test databases."""

from bot.accounts.models import ConsoleSession, LoginAttempt, User  # noqa: F401
from bot.agency.models import OutboxSubmission  # noqa: F401
from bot.audit import AuditEvent  # noqa: F401
from bot.db import Base
from bot.handoff.models import HandoffMessage, HandoffRequest  # noqa: F401

metadata = Base.metadata

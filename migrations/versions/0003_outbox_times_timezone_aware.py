"""outbox times timezone-aware (UTC), like every other table

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 10:12:45.118204

The outbox stored naive UTC times. On PostgreSQL the columns become TIMESTAMP WITH TIME
ZONE and the stored values are read as UTC (`AT TIME ZONE 'UTC'`), so no time moves. On
SQLite both types store the same text: the table is rebuilt with the same data.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

COLUMNS = {
    "created_at": False,
    "updated_at": False,
    "next_attempt_at": True,
    "claimed_until": True,
}  # name -> nullable


def _convert(*, timezone: bool) -> None:
    with op.batch_alter_table("outbox_submissions", schema=None) as batch_op:
        for name, nullable in COLUMNS.items():
            batch_op.alter_column(
                name,
                existing_type=sa.DateTime(timezone=not timezone),
                type_=sa.DateTime(timezone=timezone),
                existing_nullable=nullable,
                postgresql_using=f"{name} AT TIME ZONE 'UTC'",
            )


def upgrade() -> None:
    _convert(timezone=True)


def downgrade() -> None:
    _convert(timezone=False)

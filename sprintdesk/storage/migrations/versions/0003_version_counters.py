"""version counters on every editable row, for planning together on a team database

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 11:00:00

Two people editing one plan on a shared database: each UPDATE checks the version the row was
read at (SQLAlchemy's version_id_col), so a change made by somebody else in between is noticed
instead of overwritten unseen. Existing rows start at version 1.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VERSIONED_TABLES = (
    "people",
    "teams",
    "sprints",
    "agenda_sections",
    "outcome_reviews",
    "retro_notes",
    "priorities",
    "goals",
    "goal_contributors",
    "team_plans",
    "team_items",
    "okrs",
    "plan_notes",
    "allocations",
    "time_off",
    "support_duties",
)


def upgrade() -> None:
    for table in VERSIONED_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1"))
            )


def downgrade() -> None:
    for table in VERSIONED_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")

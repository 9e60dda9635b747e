"""who changed what: the name and the time of the last change on every editable row

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 16:30:00

Every row with a version counter (schema 0003) also says who changed it last and when
(``changed_by``, ``changed_at``), written by the session on every commit path (autosave, the
writer thread, structural edits, the offline replay, import, copy). ``changed_by`` is the
database role on a team database (the identity the server checked, as in presence and
``watch``), the login name on a local file. Rows written before this revision have neither.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables of revision 0003 (copied: a migration never imports another's module).
STAMPED_TABLES = (
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
    for table in STAMPED_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("changed_by", sa.String(length=200), nullable=True))
            batch.add_column(sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    for table in STAMPED_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("changed_at")
            batch.drop_column("changed_by")

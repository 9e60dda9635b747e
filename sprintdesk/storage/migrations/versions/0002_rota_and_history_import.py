"""a sprint-wide support rota and the GitHub issue a sprint was imported from

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 11:05:00

A support duty with no team is the sprint's own rota (a hero for everyone, as many plans write
"Support: Ben" at the top). A sprint imported from a GitHub issue remembers when that issue was
last edited, so a second import updates only what changed there.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # batch mode: SQLite cannot alter a column in place (it copies the table).
    with op.batch_alter_table("support_duties") as batch:
        batch.alter_column("team_id", existing_type=sa.Integer(), nullable=True)
    with op.batch_alter_table("sprints") as batch:
        batch.add_column(sa.Column("source_updated_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sprints") as batch:
        batch.drop_column("source_updated_at")
    op.execute("DELETE FROM support_duties WHERE team_id IS NULL")
    with op.batch_alter_table("support_duties") as batch:
        batch.alter_column("team_id", existing_type=sa.Integer(), nullable=False)

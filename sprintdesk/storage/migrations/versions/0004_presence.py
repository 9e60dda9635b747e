"""who has a sprint open: one presence row per window on a team database

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 13:40:00

Each window with a sprint open on a team database keeps a row here by heartbeat: the person's
name, the section on their screen and whether that window drives the meeting's clock (the
facilitator's lease). Rows are compared with the server's own clock and expire on their own, so a
laptop that went to sleep drops out within a minute. A local SQLite database gets the (empty)
table too: one schema for both engines.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "presence",
        sa.Column("client", sa.String(length=32), nullable=False),
        sa.Column("sprint_id", sa.Integer(), nullable=False),
        sa.Column("user_name", sa.String(length=200), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=True),
        sa.Column("facilitator", sa.Boolean(), nullable=False, server_default=sa.text("false")),
        sa.Column(
            "heartbeat_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.text("CURRENT_TIMESTAMP"),
        ),
        sa.ForeignKeyConstraint(
            ["sprint_id"],
            ["sprints.id"],
            name=op.f("fk_presence_sprint_id_sprints"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("client", name=op.f("pk_presence")),
    )
    with op.batch_alter_table("presence") as batch:
        batch.create_index(batch.f("ix_presence_sprint_id"), ["sprint_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("presence") as batch:
        batch.drop_index(batch.f("ix_presence_sprint_id"))
    op.drop_table("presence")

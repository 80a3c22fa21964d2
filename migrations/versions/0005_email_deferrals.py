"""email deferrals: count the relay's "try later" answers apart from claims

A message gave up after a number of claims, and a relay outage (or a worker
handing messages back at shutdown) used those up: the first 4xx after a long
outage failed the message for good. Now only the relay's deferrals count.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("email_outbox", sa.Column("deferrals", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("email_outbox") as table:  # SQLite drops columns by copying the table
        table.drop_column("deferrals")

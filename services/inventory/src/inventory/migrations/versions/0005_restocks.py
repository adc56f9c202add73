"""Restocks: the units of a received return put back on hand, once per return (ADR 0015).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "restocks",
        sa.Column("return_id", sa.String(40), primary_key=True),
        sa.Column("order_id", sa.String(64), nullable=False),
        sa.Column("lines", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_restocks_order_id", "restocks", ["order_id"])
    op.create_index("ix_restocks_created_at_return_id", "restocks", ["created_at", "return_id"])


def downgrade() -> None:
    op.drop_table("restocks")

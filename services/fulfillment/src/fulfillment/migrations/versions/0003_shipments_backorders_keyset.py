"""Reconciliation's reads of shipments and backorders page by (created_at, id): indexes to
walk (the partial ones on created_at cover only CREATED shipments and OPEN backorders).

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_shipments_created_at_id", "shipments", ["created_at", "id"])
    op.create_index("ix_backorders_created_at_id", "backorders", ["created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_backorders_created_at_id", table_name="backorders")
    op.drop_index("ix_shipments_created_at_id", table_name="shipments")

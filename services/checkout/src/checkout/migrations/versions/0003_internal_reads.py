"""Reconciliation's reads and repairs: an index to page orders by (created_at, id), and one
to find an order's OrderConfirmed in the outbox (the republish repair).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ORDER_CONFIRMED = "shop.checkout.OrderConfirmed.v1"


def upgrade() -> None:
    op.create_index("ix_orders_created_at_id", "orders", ["created_at", "id"])
    # Partial: only the OrderConfirmed rows (one per confirmed order), keyed by order id.
    op.create_index(
        "ix_outbox_order_confirmed_key",
        "outbox",
        ["key"],
        postgresql_where=sa.text(f"type = '{ORDER_CONFIRMED}'"),
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_order_confirmed_key", table_name="outbox")
    op.drop_index("ix_orders_created_at_id", table_name="orders")

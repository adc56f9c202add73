"""Notifications name their fact: an order can have several returns, each mailed once.

The one-SENT-per-fact index becomes (order, kind, fact); `fact` is "" for the kinds an
order has once, so every existing row keeps its meaning. RETURN_RECEIVED joins the known
kinds (ADR 0015).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


KNOWN = "'ORDER_CONFIRMED', 'SHIPMENT_CREATED', 'BACKORDER_DECLARED'"


def upgrade() -> None:
    op.drop_constraint("notifications_kind_known", "notifications", type_="check")
    op.create_check_constraint(
        "notifications_kind_known", "notifications", f"kind IN ({KNOWN}, 'RETURN_RECEIVED')"
    )
    op.add_column(
        "notifications",
        sa.Column("fact", sa.String(64), nullable=False, server_default=""),
    )
    op.drop_index("uq_notifications_sent_order_kind", table_name="notifications")
    op.create_index(
        "uq_notifications_sent_order_kind",
        "notifications",
        ["order_id", "kind", "fact"],
        unique=True,
        postgresql_where=sa.text("status = 'SENT'"),
    )


def downgrade() -> None:
    op.drop_index("uq_notifications_sent_order_kind", table_name="notifications")
    op.create_index(
        "uq_notifications_sent_order_kind",
        "notifications",
        ["order_id", "kind"],
        unique=True,
        postgresql_where=sa.text("status = 'SENT'"),
    )
    op.drop_column("notifications", "fact")
    op.drop_constraint("notifications_kind_known", "notifications", type_="check")
    op.create_check_constraint("notifications_kind_known", "notifications", f"kind IN ({KNOWN})")

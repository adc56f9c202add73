"""Recipients learnt from OrderConfirmed; at most one SENT notification per order and kind.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Shipment events do not carry the customer's address; OrderConfirmed does, so we keep
    # our own copy (a service never reads another's tables).
    op.create_table(
        "recipients",
        sa.Column("order_id", sa.String(64), primary_key=True),
        sa.Column("customer_id", sa.String(64), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    # The business key of an email: the same fact republished under a new event id
    # (reconciliation) must not mail the customer twice. FAILED attempts may repeat.
    op.create_index(
        "uq_notifications_sent_order_kind",
        "notifications",
        ["order_id", "kind"],
        unique=True,
        postgresql_where=sa.text("status = 'SENT'"),
    )


def downgrade() -> None:
    op.drop_index("uq_notifications_sent_order_kind", table_name="notifications")
    op.drop_table("recipients")

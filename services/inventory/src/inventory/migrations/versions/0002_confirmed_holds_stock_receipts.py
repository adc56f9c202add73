"""Confirmed holds (they no longer expire) and stock receipts (replenishments, with their
optional Idempotency-Key).

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
    op.add_column("reservations", sa.Column("confirmed_at", sa.DateTime(timezone=True)))
    # The expiry sweep's scan: only live holds of orders not yet confirmed, by deadline.
    op.drop_index("ix_reservations_held_expires_at", table_name="reservations")
    op.create_index(
        "ix_reservations_held_expires_at",
        "reservations",
        ["expires_at"],
        postgresql_where=sa.text("status = 'HELD' AND confirmed_at IS NULL"),
    )
    op.create_table(
        "stock_receipts",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("sku", sa.String(64), sa.ForeignKey("stock_items.sku"), nullable=False),
        sa.Column("quantity", sa.Integer, nullable=False),
        sa.Column("reference", sa.String(200), nullable=True),
        # A retried replenishment with the same key finds its receipt instead of adding twice.
        sa.Column("idempotency_key", sa.String(255), nullable=True, unique=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("quantity > 0", name="stock_receipts_quantity_positive"),
    )


def downgrade() -> None:
    op.drop_table("stock_receipts")
    op.drop_index("ix_reservations_held_expires_at", table_name="reservations")
    op.create_index(
        "ix_reservations_held_expires_at",
        "reservations",
        ["expires_at"],
        postgresql_where=sa.text("status = 'HELD'"),
    )
    op.drop_column("reservations", "confirmed_at")

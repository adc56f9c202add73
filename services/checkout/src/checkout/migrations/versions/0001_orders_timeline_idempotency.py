"""Orders, their lines and timeline, idempotency keys, and the outbox/inbox.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from shop_messaging import create_messaging_tables, drop_messaging_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ORDER_STATUSES = "'CONFIRMED','BACKORDERED','SHIPPED','COMPLETED','REJECTED','CANCELLED'"


def upgrade() -> None:
    create_messaging_tables(op)
    op.create_table(
        "orders",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reject_reason", sa.String(200)),
        sa.Column("customer_id", sa.String(64), nullable=False),
        sa.Column("customer_email", sa.String(254), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("subtotal", sa.BigInteger, nullable=False),
        sa.Column("shipping", sa.BigInteger, nullable=False),
        sa.Column("tax", sa.BigInteger, nullable=False),
        sa.Column("total", sa.BigInteger, nullable=False),
        sa.Column("quote_id", sa.String(64)),
        sa.Column("reservation_id", sa.String(64)),
        sa.Column("authorization_id", sa.String(64)),
        sa.Column("shipping_address", sa.JSON, nullable=False),
        sa.Column("fulfillment_status", sa.String(16), nullable=False),
        sa.Column("payment_status", sa.String(16), nullable=False),
        sa.Column("notification_status", sa.String(16), nullable=False),
        sa.Column("compensation_status", sa.String(16), nullable=False),
        sa.Column("compensation_failures", sa.JSON),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"status IN ({ORDER_STATUSES})", name="orders_status_known"),
        sa.CheckConstraint("total >= 0", name="orders_total_not_negative"),
        sa.CheckConstraint(
            "status <> 'REJECTED' OR reject_reason IS NOT NULL", name="orders_rejected_have_reason"
        ),
    )
    # Reconciliation looks for orders whose undo calls failed.
    op.create_index(
        "ix_orders_compensation_open",
        "orders",
        ["compensation_status"],
        postgresql_where=sa.text("compensation_status IN ('PENDING', 'FAILED')"),
    )
    op.create_table(
        "order_lines",
        sa.Column("order_id", sa.String(40), sa.ForeignKey("orders.id"), primary_key=True),
        sa.Column("line_no", sa.Integer, primary_key=True),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("quantity", sa.Integer, nullable=False),
        sa.Column("unit_price", sa.BigInteger, nullable=False),
        sa.Column("line_total", sa.BigInteger, nullable=False),
        sa.CheckConstraint("quantity > 0", name="order_lines_quantity_positive"),
    )
    op.create_table(
        "order_timeline",
        sa.Column("id", sa.BigInteger, sa.Identity(always=False), primary_key=True),
        sa.Column("order_id", sa.String(40), sa.ForeignKey("orders.id"), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
    )
    op.create_index("ix_order_timeline_order_id", "order_timeline", ["order_id"])
    op.create_table(
        "idempotency_keys",
        sa.Column("key", sa.String(255), primary_key=True),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("order_id", sa.String(40)),
        sa.Column("response_status", sa.Integer),
        sa.Column("response_body", sa.JSON),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('IN_PROGRESS', 'COMPLETED')", name="idempotency_keys_status_known"
        ),
    )


def downgrade() -> None:
    op.drop_table("idempotency_keys")
    op.drop_index("ix_order_timeline_order_id", table_name="order_timeline")
    op.drop_table("order_timeline")
    op.drop_table("order_lines")
    op.drop_index("ix_orders_compensation_open", table_name="orders")
    op.drop_table("orders")
    drop_messaging_tables(op)

"""Stock items, reservations and their lines, the outbox and inbox, with the demo stock.

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

# Sellable stock of the demo catalog. SKU-LAMP-01 sells (40 here) although the warehouses
# are physically short of it: fulfillment's data, which turns those orders into backorders.
# SKU-PRINT-01 is a limited edition of 3: the out-of-stock demo.
STOCK = [
    ("SKU-MUG-01", 500),
    ("SKU-TEE-01", 400),
    ("SKU-CAP-01", 300),
    ("SKU-TOTE-01", 300),
    ("SKU-BOTTLE-01", 250),
    ("SKU-NOTE-01", 500),
    ("SKU-PEN-01", 150),
    ("SKU-HOODIE-01", 200),
    ("SKU-LAMP-01", 40),
    ("SKU-PRINT-01", 3),
]


def upgrade() -> None:
    create_messaging_tables(op)
    stock_items = op.create_table(
        "stock_items",
        sa.Column("sku", sa.String(64), primary_key=True),
        sa.Column("on_hand", sa.Integer, nullable=False),
        sa.Column("reserved", sa.Integer, nullable=False, server_default="0"),
        sa.CheckConstraint("on_hand >= 0", name="stock_items_on_hand_not_negative"),
        sa.CheckConstraint("reserved >= 0", name="stock_items_reserved_not_negative"),
        sa.CheckConstraint("reserved <= on_hand", name="stock_items_reserved_within_on_hand"),
    )
    op.create_table(
        "reservations",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("order_id", sa.String(64), nullable=False, unique=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("committed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("release_reason", sa.String(500), nullable=True),
    )
    # The expiry sweep's scan: only live holds, by deadline.
    op.create_index(
        "ix_reservations_held_expires_at",
        "reservations",
        ["expires_at"],
        postgresql_where=sa.text("status = 'HELD'"),
    )
    op.create_table(
        "reservation_lines",
        sa.Column(
            "reservation_id", sa.String(40), sa.ForeignKey("reservations.id"), primary_key=True
        ),
        sa.Column("sku", sa.String(64), sa.ForeignKey("stock_items.sku"), primary_key=True),
        sa.Column("quantity", sa.BigInteger, nullable=False),
        sa.CheckConstraint("quantity > 0", name="reservation_lines_quantity_positive"),
    )
    op.bulk_insert(stock_items, [{"sku": sku, "on_hand": n, "reserved": 0} for sku, n in STOCK])


def downgrade() -> None:
    op.drop_table("reservation_lines")
    op.drop_index("ix_reservations_held_expires_at", table_name="reservations")
    op.drop_table("reservations")
    op.drop_table("stock_items")
    drop_messaging_tables(op)

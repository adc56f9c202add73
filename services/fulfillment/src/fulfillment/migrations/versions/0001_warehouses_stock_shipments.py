"""Warehouses, bin stock, shipments, backorders and the messaging tables, with the demo stock.

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

WAREHOUSES = [
    ("wh_berlin", "Berlin", "DE", 1),
    ("wh_rotterdam", "Rotterdam", "NL", 2),
]
# Physical stock per warehouse (Berlin, Rotterdam). SKU-PRINT-01 is a limited edition: 3 in
# all, so 3 at once ships from neither. SKU-LAMP-01 is sellable (Inventory holds 40) but no
# warehouse has one on its shelves: an order for it is backordered until a replenishment.
BIN_STOCK = {
    "SKU-MUG-01": (300, 200),
    "SKU-TEE-01": (300, 200),
    "SKU-CAP-01": (300, 200),
    "SKU-TOTE-01": (300, 200),
    "SKU-BOTTLE-01": (300, 200),
    "SKU-NOTE-01": (500, 300),
    "SKU-PEN-01": (150, 100),
    "SKU-HOODIE-01": (150, 100),
    "SKU-PRINT-01": (2, 1),
    "SKU-LAMP-01": (0, 0),
}


def upgrade() -> None:
    create_messaging_tables(op)
    warehouses = op.create_table(
        "warehouses",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("priority", sa.Integer, nullable=False),
    )
    bin_stock = op.create_table(
        "bin_stock",
        sa.Column("warehouse_id", sa.String(40), sa.ForeignKey("warehouses.id"), primary_key=True),
        sa.Column("sku", sa.String(64), primary_key=True),
        sa.Column("on_hand", sa.Integer, nullable=False),
        sa.CheckConstraint("on_hand >= 0", name="bin_stock_on_hand_not_negative"),
    )
    op.create_table(
        "shipments",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("order_id", sa.String(64), nullable=False, unique=True),
        sa.Column("warehouse_id", sa.String(40), sa.ForeignKey("warehouses.id"), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("carrier", sa.String(100), nullable=True),
        sa.Column("tracking", sa.String(100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dispatched_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('CREATED', 'DISPATCHED')", name="shipments_status_known"),
    )
    op.create_table(
        "shipment_lines",
        sa.Column("shipment_id", sa.String(40), sa.ForeignKey("shipments.id"), primary_key=True),
        sa.Column("sku", sa.String(64), primary_key=True),
        sa.Column("quantity", sa.Integer, nullable=False),
        sa.CheckConstraint("quantity > 0", name="shipment_lines_quantity_positive"),
    )
    op.create_table(
        "backorders",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("order_id", sa.String(64), nullable=False, unique=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("skus_short", sa.JSON, nullable=False),
        sa.Column("lines", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('OPEN', 'RELEASED')", name="backorders_status_known"),
    )
    # Open backorders are re-examined on every replenishment; keep that scan small.
    op.create_index(
        "ix_backorders_open",
        "backorders",
        ["created_at"],
        postgresql_where=sa.text("status = 'OPEN'"),
    )
    op.bulk_insert(
        warehouses,
        [{"id": i, "name": n, "country": c, "priority": p} for i, n, c, p in WAREHOUSES],
    )
    op.bulk_insert(
        bin_stock,
        [
            {"warehouse_id": warehouse_id, "sku": sku, "on_hand": per_warehouse[index]}
            for sku, per_warehouse in BIN_STOCK.items()
            for index, (warehouse_id, _, _, _) in enumerate(WAREHOUSES)
        ],
    )


def downgrade() -> None:
    op.drop_index("ix_backorders_open", table_name="backorders")
    op.drop_table("backorders")
    op.drop_table("shipment_lines")
    op.drop_table("shipments")
    op.drop_table("bin_stock")
    op.drop_table("warehouses")
    drop_messaging_tables(op)

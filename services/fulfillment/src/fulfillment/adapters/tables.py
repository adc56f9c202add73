"""Fulfillment's tables. The migrations create them; repositories read and write them."""

from shop_messaging import add_messaging_tables
from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    text,
)

metadata = MetaData()

warehouses = Table(
    "warehouses",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("country", String(2), nullable=False),
    Column("priority", Integer, nullable=False),
)

bin_stock = Table(
    "bin_stock",
    metadata,
    Column("warehouse_id", String(40), ForeignKey("warehouses.id"), primary_key=True),
    Column("sku", String(64), primary_key=True),
    Column("on_hand", Integer, nullable=False),
)

shipments = Table(
    "shipments",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("order_id", String(64), nullable=False, unique=True),
    Column("warehouse_id", String(40), ForeignKey("warehouses.id"), nullable=False),
    Column("status", String(16), nullable=False),
    Column("carrier", String(100), nullable=True),
    Column("tracking", String(100), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("dispatched_at", DateTime(timezone=True), nullable=True),
)
Index("ix_shipments_created", shipments.c.created_at, postgresql_where=text("status = 'CREATED'"))
# Reconciliation's keyset pages (GET /internal/v1/shipments).
Index("ix_shipments_created_at_id", shipments.c.created_at, shipments.c.id)

shipment_lines = Table(
    "shipment_lines",
    metadata,
    Column("shipment_id", String(40), ForeignKey("shipments.id"), primary_key=True),
    Column("sku", String(64), primary_key=True),
    Column("quantity", Integer, nullable=False),
)

backorders = Table(
    "backorders",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("order_id", String(64), nullable=False, unique=True),
    Column("status", String(16), nullable=False),
    Column("skus_short", JSON, nullable=False),
    Column("lines", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("released_at", DateTime(timezone=True), nullable=True),
    Column("cancelled_at", DateTime(timezone=True), nullable=True),
)
Index("ix_backorders_open", backorders.c.created_at, postgresql_where=text("status = 'OPEN'"))
# Reconciliation's keyset pages (GET /internal/v1/backorders).
Index("ix_backorders_created_at_id", backorders.c.created_at, backorders.c.id)

messaging = add_messaging_tables(metadata)

"""Inventory's tables. The migrations create them; the repository reads and writes them."""

from shop_messaging import add_messaging_tables
from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
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

stock_items = Table(
    "stock_items",
    metadata,
    Column("sku", String(64), primary_key=True),
    Column("on_hand", Integer, nullable=False),
    Column("reserved", Integer, nullable=False, server_default="0"),
    CheckConstraint("on_hand >= 0", name="stock_items_on_hand_not_negative"),
    CheckConstraint("reserved >= 0", name="stock_items_reserved_not_negative"),
    CheckConstraint("reserved <= on_hand", name="stock_items_reserved_within_on_hand"),
)

reservations = Table(
    "reservations",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("order_id", String(64), nullable=False, unique=True),
    Column("status", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("released_at", DateTime(timezone=True), nullable=True),
    Column("committed_at", DateTime(timezone=True), nullable=True),
    Column("release_reason", String(500), nullable=True),
    Column("confirmed_at", DateTime(timezone=True), nullable=True),
)
Index(
    "ix_reservations_held_expires_at",
    reservations.c.expires_at,
    postgresql_where=text("status = 'HELD' AND confirmed_at IS NULL"),
)
# Reconciliation's keyset pages (GET /internal/v1/reservations).
Index("ix_reservations_created_at_id", reservations.c.created_at, reservations.c.id)

reservation_lines = Table(
    "reservation_lines",
    metadata,
    Column("reservation_id", String(40), ForeignKey("reservations.id"), primary_key=True),
    Column("sku", String(64), ForeignKey("stock_items.sku"), primary_key=True),
    Column("quantity", BigInteger, nullable=False),
    CheckConstraint("quantity > 0", name="reservation_lines_quantity_positive"),
)

stock_receipts = Table(
    "stock_receipts",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("sku", String(64), ForeignKey("stock_items.sku"), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("reference", String(200), nullable=True),
    Column("idempotency_key", String(255), nullable=True, unique=True),
    Column("received_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("quantity > 0", name="stock_receipts_quantity_positive"),
)

# Returned units put back on hand, once per return (ReturnReceived, or reconciliation's repair).
restocks = Table(
    "restocks",
    metadata,
    Column("return_id", String(40), primary_key=True),
    Column("order_id", String(64), nullable=False, index=True),
    Column("lines", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
# Reconciliation's keyset pages (GET /internal/v1/restocks).
Index("ix_restocks_created_at_return_id", restocks.c.created_at, restocks.c.return_id)

messaging = add_messaging_tables(metadata)

"""Returns' tables. The migrations create them; the repositories read and write them."""

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
)

metadata = MetaData()

# Returns' copy of each order (OrderConfirmed): who owns it and what it cost.
orders = Table(
    "orders",
    metadata,
    Column("order_id", String(64), primary_key=True),
    Column("customer_id", String(64), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("total", BigInteger, nullable=False),
    Column("confirmed_at", DateTime(timezone=True), nullable=False),
)

order_lines = Table(
    "order_lines",
    metadata,
    Column("order_id", String(64), ForeignKey("orders.order_id"), primary_key=True),
    Column("sku", String(64), primary_key=True),
    Column("quantity", Integer, nullable=False),
    Column("unit_price", BigInteger, nullable=False),
)

# What shipped (ShipmentCreated), one row per shipment and SKU. No foreign key to orders:
# a shipment's event may arrive before its order's (they travel on different topics).
shipped_lines = Table(
    "shipped_lines",
    metadata,
    Column("shipment_id", String(64), primary_key=True),
    Column("sku", String(64), primary_key=True),
    Column("order_id", String(64), nullable=False, index=True),
    Column("quantity", Integer, nullable=False),
    Column("shipped_at", DateTime(timezone=True), nullable=False),
)

returns = Table(
    "returns",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("order_id", String(64), nullable=False, index=True),
    Column("customer_id", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("refund_amount", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    # The customer's key, scoped to the customer (a digest), and what the body was.
    Column("idempotency_key", String(64), nullable=False, unique=True),
    Column("fingerprint", String(64), nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=True),
    Column("refunded_at", DateTime(timezone=True), nullable=True),
    Column("restocked_at", DateTime(timezone=True), nullable=True),
    CheckConstraint("refund_amount >= 0", name="returns_refund_not_negative"),
)
# Reconciliation's keyset pages (GET /internal/v1/returns).
Index("ix_returns_requested_at_id", returns.c.requested_at, returns.c.id)

return_lines = Table(
    "return_lines",
    metadata,
    Column("return_id", String(40), ForeignKey("returns.id"), primary_key=True),
    Column("sku", String(64), primary_key=True),
    Column("quantity", Integer, nullable=False),
    CheckConstraint("quantity > 0", name="return_lines_quantity_positive"),
)

# One entry per business fact (`fact_key`): a redelivered event adds nothing.
return_timeline = Table(
    "return_timeline",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("return_id", String(40), ForeignKey("returns.id"), nullable=False, index=True),
    Column("type", String(64), nullable=False),
    Column("source", String(64), nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("detail", JSON, nullable=False),
    Column("fact_key", String(200), nullable=False, unique=True),
)

# The outbox and the inbox: every service has them (docs/architecture.md).
messaging = add_messaging_tables(metadata)

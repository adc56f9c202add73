"""Checkout's tables. The migrations create them; the other adapters read and write them."""

from shop_contracts import OrderConfirmed, OrderConfirmedV2, OrderContactShared
from shop_messaging import add_messaging_tables
from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    text,
)

from checkout.domain.progress import Fact

metadata = MetaData()
messaging = add_messaging_tables(metadata)

orders = Table(
    "orders",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("status", String(16), nullable=False),
    Column("reject_reason", String(200)),
    Column("customer_id", String(64), nullable=False),
    Column("customer_email", String(254), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("subtotal", BigInteger, nullable=False),
    Column("shipping", BigInteger, nullable=False),
    Column("tax", BigInteger, nullable=False),
    Column("total", BigInteger, nullable=False),
    Column("quote_id", String(64)),
    Column("reservation_id", String(64)),
    Column("authorization_id", String(64)),
    Column("shipping_address", JSON, nullable=False),
    Column("fulfillment_status", String(16), nullable=False),
    Column("payment_status", String(16), nullable=False),
    Column("notification_status", String(16), nullable=False),
    # NONE, PENDING (undo calls running), DONE or FAILED (reconciliation must repair).
    Column("compensation_status", String(16), nullable=False),
    Column("compensation_failures", JSON),
    # The order of a later attempt under the same Idempotency-Key (ADR 0011): this one
    # failed transiently and the client's retry placed that one instead.
    Column("superseded_by", String(40)),
    # Progress facts (domain/progress.py): when each was first learned, from events or cancel.
    *(Column(f"{fact.value}_at", DateTime(timezone=True)) for fact in Fact),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Reconciliation's read pages orders by (created_at, id).
Index("ix_orders_created_at_id", orders.c.created_at, orders.c.id)
# A retry's save marks the attempts its key superseded before (ADR 0011).
Index(
    "ix_orders_superseded_by",
    orders.c.superseded_by,
    postgresql_where=text("superseded_by IS NOT NULL"),
)
# The outbox rows of an order's confirmation, which the republish repair sends again: its
# OrderConfirmed (v1 rows predate ADR 0010) and its OrderContactShared.
CONFIRMATION_TYPES = (
    OrderConfirmed.event_type,
    OrderConfirmedV2.event_type,
    OrderContactShared.event_type,
)
# Keyed by the order id (migration 0007).
Index(
    "ix_outbox_order_confirmed_key",
    messaging.outbox.c.key,
    postgresql_where=messaging.outbox.c.type.in_(CONFIRMATION_TYPES),
)

order_lines = Table(
    "order_lines",
    metadata,
    Column("order_id", String(40), ForeignKey("orders.id"), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("sku", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price", BigInteger, nullable=False),
    Column("line_total", BigInteger, nullable=False),
)

order_timeline = Table(
    "order_timeline",
    metadata,
    Column("id", BigInteger, Identity(always=False), primary_key=True),
    Column("order_id", String(40), ForeignKey("orders.id"), nullable=False, index=True),
    Column("type", String(64), nullable=False),
    Column("source", String(32), nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("detail", JSON, nullable=False),
    # "ShipmentCreated:shp_1": unique per order, so one business fact is one entry.
    Column("fact", String(200)),
    Index(
        "ux_order_timeline_fact",
        "order_id",
        "fact",
        unique=True,
        postgresql_where=text("fact IS NOT NULL"),
    ),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("key", String(255), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    # Fixed when the key is claimed: a takeover continues the same order.
    Column("order_id", String(40)),
    # The fencing token of the request holding the claim; completing or releasing checks it.
    Column("owner", String(40)),
    # The outcome a replay answers with (application/outcomes.py), once COMPLETED.
    Column("outcome", JSON),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("locked_until", DateTime(timezone=True), nullable=False),
)

"""Communications' tables. The migrations create them; repositories read and write them."""

from shop_messaging import add_messaging_tables
from sqlalchemy import BigInteger, Column, DateTime, Index, MetaData, String, Table, text

metadata = MetaData()

notifications = Table(
    "notifications",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("order_id", String(64), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    # Which fact of the kind (a return's id), "" for kinds an order has once.
    Column("fact", String(64), nullable=False, server_default=""),
    # One notification per event: the idempotency key of a delivery.
    Column("about_event_id", String(64), nullable=False, unique=True),
    Column("recipient", String(254), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("status", String(16), nullable=False),
    Column("smtp_message_id", String(255), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=True),
)
# One email per business fact, whatever event id asks for it again.
Index(
    "uq_notifications_sent_order_kind",
    notifications.c.order_id,
    notifications.c.kind,
    notifications.c.fact,
    unique=True,
    postgresql_where=text("status = 'SENT'"),
)
# Reconciliation's keyset pages (GET /internal/v1/notifications).
Index("ix_notifications_created_at_id", notifications.c.created_at, notifications.c.id)

# Who to write to about an order, learnt from OrderContactShared (the total: OrderConfirmed).
recipients = Table(
    "recipients",
    metadata,
    Column("order_id", String(64), primary_key=True),
    Column("customer_id", String(64), nullable=False),
    Column("email", String(254), nullable=False),
    # The order's total, so a resent confirmation can name it (null: not known).
    Column("total_amount", BigInteger, nullable=True),
    Column("total_currency", String(3), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

messaging = add_messaging_tables(metadata)

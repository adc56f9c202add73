"""Reconciliation's tables. The migrations create them; repositories read and write them."""

from shop_messaging import add_messaging_tables
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    MetaData,
    String,
    Table,
    Text,
    text,
)

metadata = MetaData()

order_coordination = Table(
    "order_coordination",
    metadata,
    Column("order_id", String(64), primary_key=True),
    Column("confirmed_at", DateTime(timezone=True), nullable=True),
    Column("allocated_at", DateTime(timezone=True), nullable=True),
    Column("backordered_at", DateTime(timezone=True), nullable=True),
    Column("reservation_committed_at", DateTime(timezone=True), nullable=True),
    Column("payment_captured_at", DateTime(timezone=True), nullable=True),
    Column("customer_notified_at", DateTime(timezone=True), nullable=True),
    Column("cancelled_at", DateTime(timezone=True), nullable=True),
    Column("last_event_at", DateTime(timezone=True), nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
Index(
    "ix_order_coordination_open",
    order_coordination.c.confirmed_at,
    order_coordination.c.order_id,
    postgresql_where=text("cancelled_at IS NULL"),
)

coordination_events = Table(
    "coordination_events",
    metadata,
    Column("event_id", String(64), primary_key=True),
    Column("order_id", String(64), nullable=False, index=True),
    Column("type", String(255), nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
)

reconciliation_runs = Table(
    "reconciliation_runs",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Column("status", String(16), nullable=False),
    Column("dry_run", Boolean, nullable=False),
    Column("since", DateTime(timezone=True), nullable=True),
    Column("summary", JSON, nullable=True),
    Column("until", DateTime(timezone=True), nullable=True),
    Column("trigger", String(16), nullable=False, server_default="cli"),
    Column("error", Text, nullable=True),
)
Index("ix_reconciliation_runs_started_at", reconciliation_runs.c.started_at)

findings = Table(
    "findings",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("run_id", String(40), ForeignKey("reconciliation_runs.id"), nullable=False, index=True),
    Column("order_id", String(64), nullable=False, index=True),
    Column("kind", String(64), nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("repair", String(200), nullable=True),
    Column("status", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("repair_params", JSON, nullable=True),
    Column("detail", Text, nullable=False, server_default=""),
    Column("error", Text, nullable=True),
)

# Only the inbox is used (reconciliation consumes every topic and publishes nothing); the
# library defines both tables together, so the outbox exists and stays empty.
messaging = add_messaging_tables(metadata)

"""Returns's tables. The migrations create them; repositories read and write them."""

from shop_messaging import add_messaging_tables
from sqlalchemy import Column, DateTime, MetaData, String, Table

metadata = MetaData()

items = Table(
    "items",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("idempotency_key", String(200), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# The outbox and the inbox: every service has them, used or not yet (docs/architecture.md).
messaging = add_messaging_tables(metadata)

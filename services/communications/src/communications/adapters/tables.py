"""Communications' tables. The migrations create them; repositories read and write them."""

from shop_messaging import add_messaging_tables
from sqlalchemy import Column, DateTime, MetaData, String, Table

metadata = MetaData()

notifications = Table(
    "notifications",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("order_id", String(64), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("about_event_id", String(64), nullable=False, unique=True),
    Column("recipient", String(254), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("status", String(16), nullable=False),
    Column("smtp_message_id", String(255), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=True),
)

messaging = add_messaging_tables(metadata)

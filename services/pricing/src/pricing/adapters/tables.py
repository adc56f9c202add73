"""Pricing's tables. The migrations create them; repositories read and write them."""

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
)

metadata = MetaData()

products = Table(
    "products",
    metadata,
    Column("sku", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("description", String(1000), nullable=False, server_default=""),
    Column("active", Boolean, nullable=False, server_default="true"),
)

prices = Table(
    "prices",
    metadata,
    Column("sku", String(64), ForeignKey("products.sku"), primary_key=True),
    Column("currency", String(3), primary_key=True),
    Column("amount", BigInteger, nullable=False),
)

quotes = Table(
    "quotes",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("currency", String(3), nullable=False),
    Column("country", String(2), nullable=False),
    Column("lines", JSON, nullable=False),
    Column("subtotal", BigInteger, nullable=False),
    Column("shipping", BigInteger, nullable=False),
    Column("tax", BigInteger, nullable=False),
    Column("total", BigInteger, nullable=False),
    Column("line_count", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

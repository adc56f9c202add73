"""Catalog, prices and quotes, with the demo catalog.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# The demo catalog. SKU-LAMP-01 sells but the warehouses are short of it (a backorder);
# SKU-PRINT-01 is a limited edition with little stock (an out-of-stock checkout).
CATALOG = [
    ("SKU-MUG-01", "Enamel mug", "Camp mug, 350 ml", 1200),
    ("SKU-TEE-01", "Cotton T-shirt", "Organic cotton, unisex", 2500),
    ("SKU-CAP-01", "Baseball cap", "Six panels, adjustable", 1800),
    ("SKU-TOTE-01", "Canvas tote", "Heavy canvas, 15 l", 2200),
    ("SKU-BOTTLE-01", "Steel bottle", "Insulated, 750 ml", 2900),
    ("SKU-NOTE-01", "Notebook", "A5, dotted, 192 pages", 900),
    ("SKU-PEN-01", "Fountain pen", "Steel nib, medium", 4500),
    ("SKU-HOODIE-01", "Hoodie", "Brushed fleece", 5900),
    ("SKU-LAMP-01", "Desk lamp", "LED, dimmable", 7900),
    ("SKU-PRINT-01", "Limited print", "Signed, 50 x 70 cm", 12000),
]
USD_PER_EUR_PERCENT = 110  # demo list prices in USD are the EUR price plus 10 %


def upgrade() -> None:
    products = op.create_table(
        "products",
        sa.Column("sku", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.String(1000), nullable=False, server_default=""),
        sa.Column("active", sa.Boolean, nullable=False, server_default="true"),
    )
    prices = op.create_table(
        "prices",
        sa.Column("sku", sa.String(64), sa.ForeignKey("products.sku"), primary_key=True),
        sa.Column("currency", sa.String(3), primary_key=True),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.CheckConstraint("amount >= 0", name="prices_amount_not_negative"),
    )
    op.create_table(
        "quotes",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("lines", sa.JSON, nullable=False),
        sa.Column("subtotal", sa.BigInteger, nullable=False),
        sa.Column("shipping", sa.BigInteger, nullable=False),
        sa.Column("tax", sa.BigInteger, nullable=False),
        sa.Column("total", sa.BigInteger, nullable=False),
        sa.Column("line_count", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.bulk_insert(
        products,
        [{"sku": s, "name": n, "description": d, "active": True} for s, n, d, _ in CATALOG],
    )
    op.bulk_insert(
        prices,
        [{"sku": s, "currency": "EUR", "amount": eur} for s, _, _, eur in CATALOG]
        + [
            {"sku": s, "currency": "USD", "amount": eur * USD_PER_EUR_PERCENT // 100}
            for s, _, _, eur in CATALOG
        ],
    )


def downgrade() -> None:
    op.drop_table("quotes")
    op.drop_table("prices")
    op.drop_table("products")

"""Reads and writes of the catalog and quotes, in the caller's session (its transaction)."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pricing.adapters.tables import prices, products, quotes
from pricing.domain.products import Price, Product
from pricing.domain.quotes import CatalogPrice, Quote, QuoteLine


async def prices_for(
    session: AsyncSession, skus: list[str], currency: str
) -> dict[str, CatalogPrice]:
    rows = await session.execute(
        select(products.c.sku, products.c.name, prices.c.amount)
        .join(prices, prices.c.sku == products.c.sku)
        .where(products.c.sku.in_(skus), products.c.active, prices.c.currency == currency)
    )
    return {row.sku: CatalogPrice(row.sku, row.name, row.amount) for row in rows}


async def load_products(session: AsyncSession) -> list[Product]:
    rows = await session.execute(
        select(
            products.c.sku,
            products.c.name,
            products.c.description,
            prices.c.currency,
            prices.c.amount,
        )
        .join(prices, prices.c.sku == products.c.sku)
        .where(products.c.active)
        .order_by(products.c.sku, prices.c.currency)
    )
    described: dict[str, tuple[str, str]] = {}
    priced: dict[str, list[Price]] = {}
    for row in rows:
        described.setdefault(row.sku, (row.name, row.description))
        priced.setdefault(row.sku, []).append(Price(row.amount, row.currency))
    return [
        Product(sku, name, description, tuple(priced[sku]))
        for sku, (name, description) in described.items()
    ]


async def add_quote(session: AsyncSession, quote: Quote) -> None:
    await session.execute(
        quotes.insert().values(
            id=quote.id,
            currency=quote.currency,
            country=quote.country,
            lines=[
                {
                    "sku": line.sku,
                    "name": line.name,
                    "quantity": line.quantity,
                    "unit_price": line.unit_price,
                }
                for line in quote.lines
            ],
            subtotal=quote.subtotal,
            shipping=quote.shipping,
            tax=quote.tax,
            total=quote.total,
            line_count=len(quote.lines),
            created_at=quote.created_at,
            expires_at=quote.expires_at,
        )
    )


async def load_quote(session: AsyncSession, quote_id: str) -> Quote | None:
    row = (await session.execute(select(quotes).where(quotes.c.id == quote_id))).one_or_none()
    if row is None:
        return None
    return Quote(
        id=row.id,
        currency=row.currency,
        country=row.country,
        lines=tuple(QuoteLine(**line) for line in row.lines),
        subtotal=row.subtotal,
        shipping=row.shipping,
        tax=row.tax,
        total=row.total,
        created_at=row.created_at,
        expires_at=row.expires_at,
    )

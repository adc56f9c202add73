"""Use cases: price a cart into a stored quote; read a quote back."""

from dataclasses import dataclass
from datetime import timedelta

from shop_servicekit import Clock, new_id
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pricing.adapters import catalog
from pricing.domain.quotes import Quote, price_cart


@dataclass(frozen=True)
class CreateQuote:
    items: list[tuple[str, int]]
    currency: str
    country: str


async def create_quote(
    sessions: async_sessionmaker[AsyncSession],
    command: CreateQuote,
    *,
    ttl: timedelta,
    clock: Clock,
) -> Quote:
    """Price the cart at today's catalog prices and store the quote, valid for `ttl`."""
    async with sessions.begin() as session:
        skus = sorted({sku for sku, _ in command.items})
        prices = await catalog.prices_for(session, skus, command.currency)
        quote = price_cart(
            quote_id=new_id("qt"),
            items=command.items,
            prices=prices,
            currency=command.currency,
            country=command.country,
            now=clock(),
            ttl=ttl,
        )
        await catalog.add_quote(session, quote)
        return quote


async def find_quote(sessions: async_sessionmaker[AsyncSession], quote_id: str) -> Quote | None:
    async with sessions() as session:
        return await catalog.load_quote(session, quote_id)

"""Use cases: price a cart into a stored quote; read a quote back."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from shop_servicekit import new_id
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
    now: Callable[[], datetime],
) -> Quote:
    async with sessions.begin() as session:
        skus = sorted({sku for sku, _ in command.items})
        prices = await catalog.prices_for(session, skus, command.currency)
        quote = price_cart(
            quote_id=new_id("qt"),
            items=command.items,
            prices=prices,
            currency=command.currency,
            country=command.country,
            now=now(),
            ttl=ttl,
        )
        await catalog.add_quote(session, quote)
        return quote

"""Query: the active catalog with every price it is sold at."""

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pricing.adapters import catalog
from pricing.domain.products import Product


async def list_products(sessions: async_sessionmaker[AsyncSession]) -> list[Product]:
    async with sessions() as session:
        return await catalog.load_products(session)

"""Read-only queries behind the routes: one return, and reconciliation's pages."""

from shop_servicekit import Page, Window
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from returns.adapters import returns as rows
from returns.domain.returns import Return


async def find_return(sessions: async_sessionmaker[AsyncSession], return_id: str) -> Return | None:
    async with sessions() as session:
        return await rows.get(session, return_id)


async def read_returns(sessions: async_sessionmaker[AsyncSession], window: Window) -> Page:
    """Every return requested in the window, in keyset order."""
    async with sessions() as session:
        return await rows.returns_page(session, window)

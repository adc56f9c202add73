"""Read-only queries behind the routes: a SKU's stock, one reservation, and
reconciliation's pages of reservations."""

from shop_servicekit import Page, Window
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from inventory.adapters import repository, restocks
from inventory.domain.reservations import Reservation, StockLevel


async def find_stock(sessions: async_sessionmaker[AsyncSession], sku: str) -> StockLevel | None:
    async with sessions() as session:
        return await repository.get_stock(session, sku)


async def find_reservation(
    sessions: async_sessionmaker[AsyncSession], reservation_id: str
) -> Reservation | None:
    async with sessions() as session:
        return await repository.get_reservation(session, reservation_id)


async def read_reservations(sessions: async_sessionmaker[AsyncSession], window: Window) -> Page:
    """Every reservation created in the window, whatever became of it, in keyset order."""
    async with sessions() as session:
        return await repository.reservations_page(session, window)


async def read_restocks(sessions: async_sessionmaker[AsyncSession], window: Window) -> Page:
    """Every return restocked in the window, in keyset order."""
    async with sessions() as session:
        return await restocks.restocks_page(session, window)

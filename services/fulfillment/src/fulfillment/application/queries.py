"""Read-only queries behind the routes: an order's shipments and backorders, one of each,
the warehouses, and reconciliation's pages."""

from shop_servicekit import Page, Window
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fulfillment.adapters import shipments, warehouses
from fulfillment.domain.allocation import Warehouse
from fulfillment.domain.shipments import Backorder, Shipment

Sessions = async_sessionmaker[AsyncSession]


async def shipments_of_order(sessions: Sessions, order_id: str) -> list[Shipment]:
    async with sessions() as session:
        return await shipments.shipments_for_order(session, order_id)


async def find_shipment(sessions: Sessions, shipment_id: str) -> Shipment | None:
    async with sessions() as session:
        return await shipments.get_shipment(session, shipment_id)


async def backorders_of_order(sessions: Sessions, order_id: str) -> list[Backorder]:
    async with sessions() as session:
        return await shipments.backorders_for_order(session, order_id)


async def find_backorder(sessions: Sessions, backorder_id: str) -> Backorder | None:
    async with sessions() as session:
        return await shipments.get_backorder(session, backorder_id)


async def all_warehouses(sessions: Sessions) -> list[Warehouse]:
    async with sessions() as session:
        return await warehouses.list_warehouses(session)


async def read_shipments(sessions: Sessions, window: Window) -> Page:
    """Every shipment created in the window, in keyset order."""
    async with sessions() as session:
        return await shipments.shipments_page(session, window)


async def read_backorders(sessions: Sessions, window: Window) -> Page:
    """Every backorder created in the window, in keyset order."""
    async with sessions() as session:
        return await shipments.backorders_page(session, window)

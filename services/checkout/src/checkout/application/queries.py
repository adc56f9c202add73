"""What the routes read: one order, and reconciliation's pages of orders.

    order = await find_order("ord_1", sessions=sessions)        # None if there is none
    page = await page_orders(window, sessions=sessions)

Read-only: each opens a session and no transaction of its own making.
"""

from __future__ import annotations

from shop_servicekit import Page, Window
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from checkout.adapters import orders
from checkout.adapters.order_pages import read_orders_page
from checkout.domain.orders import Order


async def find_order(order_id: str, *, sessions: async_sessionmaker[AsyncSession]) -> Order | None:
    async with sessions() as session:
        found = await orders.get_order(session, order_id)
    return found[0] if found is not None else None


async def page_orders(window: Window, *, sessions: async_sessionmaker[AsyncSession]) -> Page:
    async with sessions() as session:
        return await read_orders_page(session, window)

"""Read-only queries behind the routes: an order's notifications, one notification, and
reconciliation's pages."""

from shop_servicekit import Page, Window
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from communications.adapters import notifications
from communications.domain.notifications import Notification


async def notifications_of_order(
    sessions: async_sessionmaker[AsyncSession], order_id: str
) -> list[Notification]:
    async with sessions() as session:
        return await notifications.notifications_for_order(session, order_id)


async def find_notification(
    sessions: async_sessionmaker[AsyncSession], notification_id: str
) -> Notification | None:
    async with sessions() as session:
        return await notifications.get_notification(session, notification_id)


async def read_notifications(sessions: async_sessionmaker[AsyncSession], window: Window) -> Page:
    """Every attempt created in the window, FAILED ones included, in keyset order."""
    async with sessions() as session:
        return await notifications.notifications_page(session, window)

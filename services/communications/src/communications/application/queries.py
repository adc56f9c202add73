"""Read-only queries behind the routes: an order's notifications, one notification, and
reconciliation's pages."""

from shop_servicekit import Page, Window
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from communications.adapters import notifications, recipients
from communications.domain.notifications import Notification


async def notifications_of_order(
    sessions: async_sessionmaker[AsyncSession], order_id: str, *, customer_id: str
) -> list[Notification]:
    """The order's notifications, if the order is `customer_id`'s (else none at all)."""
    async with sessions() as session:
        if not await _owns(session, order_id, customer_id):
            return []
        return await notifications.notifications_for_order(session, order_id)


async def find_notification(
    sessions: async_sessionmaker[AsyncSession], notification_id: str, *, customer_id: str
) -> Notification | None:
    """The notification, if it is about one of `customer_id`'s orders: another customer's
    is as absent as one that does not exist."""
    async with sessions() as session:
        found = await notifications.get_notification(session, notification_id)
        if found is None or not await _owns(session, found.order_id, customer_id):
            return None
        return found


async def _owns(session: AsyncSession, order_id: str, customer_id: str) -> bool:
    recipient = await recipients.recipient_for(session, order_id)
    return recipient is not None and recipient.customer_id == customer_id


async def read_notifications(sessions: async_sessionmaker[AsyncSession], window: Window) -> Page:
    """Every attempt created in the window, FAILED ones included, in keyset order."""
    async with sessions() as session:
        return await notifications.notifications_page(session, window)

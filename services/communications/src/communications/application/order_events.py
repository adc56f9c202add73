"""Consumer handlers: the customer is told when an order is confirmed, shipped or delayed.

Each runs inside the inbox transaction and never commits; `notify_customer` makes it
idempotent per event and per fact. Shipment events do not carry the customer's address,
so OrderConfirmed's is remembered (`recipients`); a shipment event that overtook its
OrderConfirmed (they travel on different topics) raises RecipientUnknown to be retried.
"""

from shop_contracts import BackorderDeclared, CloudEvent, OrderConfirmed, ShipmentCreated
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from communications.adapters import recipients
from communications.application.notify import Notify, NotifyCustomer
from communications.application.records import remember_recipient
from communications.domain.errors import RecipientUnknown
from communications.domain.notifications import NotificationKind, Recipient, format_money


async def notify_order_confirmed(
    session: AsyncSession,
    event: CloudEvent[OrderConfirmed],
    *,
    sessions: async_sessionmaker[AsyncSession],
    notify: Notify,
) -> None:
    order = event.data
    # Remembered in its own transaction: the address is a fact of the order, not of the
    # email, and a shipment email must not wait on a confirmation that is being retried.
    await remember_recipient(
        sessions,
        Recipient(
            order.order_id,
            order.customer_id,
            order.customer_email,
            event.time,
            total_amount=order.total.amount,
            total_currency=order.total.currency,
        ),
    )
    command = NotifyCustomer(
        order_id=order.order_id,
        kind=NotificationKind.ORDER_CONFIRMED,
        about_event_id=event.id,
        recipient=order.customer_email,
        facts={"total": format_money(order.total.amount, order.total.currency)},
    )
    await notify(session, command)


async def notify_shipment_created(
    session: AsyncSession, event: CloudEvent[ShipmentCreated], *, notify: Notify
) -> None:
    email = await _recipient_email(session, event.data.order_id)
    command = NotifyCustomer(
        event.data.order_id, NotificationKind.SHIPMENT_CREATED, event.id, email
    )
    await notify(session, command)


async def notify_backorder_declared(
    session: AsyncSession, event: CloudEvent[BackorderDeclared], *, notify: Notify
) -> None:
    email = await _recipient_email(session, event.data.order_id)
    command = NotifyCustomer(
        order_id=event.data.order_id,
        kind=NotificationKind.BACKORDER_DECLARED,
        about_event_id=event.id,
        recipient=email,
        facts={"skus": ", ".join(event.data.skus_short)},
    )
    await notify(session, command)


async def _recipient_email(session: AsyncSession, order_id: str) -> str:
    found = await recipients.recipient_for(session, order_id)
    if found is None:
        raise RecipientUnknown(order_id)
    return found.email

"""Consumer handlers: the customer is told when an order is confirmed, shipped or delayed.

Each runs inside the inbox transaction and never commits; `notify_customer` makes it
idempotent per event and per fact. No order event carries the customer's email (ADR 0010):
it comes alone, as OrderContactShared on checkout.contacts, and is remembered
(`recipients`). An order event that overtook it (another topic) raises RecipientUnknown to
be retried.
"""

from shop_contracts import (
    BackorderDeclared,
    CloudEvent,
    OrderConfirmedV2,
    OrderContactShared,
    ShipmentCreated,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from communications.adapters import recipients
from communications.application.notify import Notify, NotifyCustomer
from communications.application.records import remember_total
from communications.domain.errors import RecipientUnknown
from communications.domain.notifications import NotificationKind, Recipient, format_money


async def remember_contact(session: AsyncSession, event: CloudEvent[OrderContactShared]) -> None:
    contact = event.data
    recipient = Recipient(contact.order_id, contact.customer_id, contact.customer_email, event.time)
    await recipients.add_recipient(session, recipient)


async def notify_order_confirmed(
    session: AsyncSession,
    event: CloudEvent[OrderConfirmedV2],
    *,
    sessions: async_sessionmaker[AsyncSession],
    notify: Notify,
) -> None:
    order = event.data
    email = await _recipient_email(session, order.order_id)
    # In its own transaction: a resent confirmation names the total even while this email
    # is being retried (the mail server down).
    await remember_total(sessions, order.order_id, order.total.amount, order.total.currency)
    command = NotifyCustomer(
        order_id=order.order_id,
        kind=NotificationKind.ORDER_CONFIRMED,
        about_event_id=event.id,
        recipient=email,
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

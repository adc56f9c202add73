"""Consumer handler: the customer is told their return arrived and what is refunded.

ReturnReceived carries no email (ADR 0010): the recipient is the one remembered from the
order's OrderConfirmed (`recipients`). Mailed once per return, not once per order (the
return id is the notification's `fact`), so an order's second return gets its own email.
"""

from shop_contracts import CloudEvent, ReturnReceived
from sqlalchemy.ext.asyncio import AsyncSession

from communications.adapters import recipients
from communications.application.notify import Notify, NotifyCustomer
from communications.domain.errors import RecipientUnknown
from communications.domain.notifications import NotificationKind, format_money


async def notify_return_received(
    session: AsyncSession, event: CloudEvent[ReturnReceived], *, notify: Notify
) -> None:
    data = event.data
    found = await recipients.recipient_for(session, data.order_id)
    if found is None:
        raise RecipientUnknown(data.order_id)  # transient: its OrderConfirmed is on its way
    skus = ", ".join(f"{line.quantity} x {line.sku}" for line in data.lines)
    command = NotifyCustomer(
        order_id=data.order_id,
        kind=NotificationKind.RETURN_RECEIVED,
        about_event_id=event.id,
        recipient=found.email,
        facts={"skus": skus, "refund": format_money(data.refund.amount, data.refund.currency)},
        fact=data.return_id,
    )
    await notify(session, command)

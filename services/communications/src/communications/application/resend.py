"""Use case: reconciliation's resend of an email an order is owed (its event was lost).

The email goes through `notify_customer`, exactly as a consumer's would: one SENT per
(order, kind) under the same lock, `CustomerNotified` in the outbox in the same transaction,
a FAILED attempt recorded in its own when the mail server is down. A resend has no event,
so its `about_event_id` (and thus its notification id and Message-ID) is derived from the
fact (`resend_event_id`): a resend repeated after a failure reuses the FAILED row, and a
repeat after success finds the fact SENT and mails nobody.

The email is rendered from what Communications knows: the recipient and, for a
confirmation, the order's total (both remembered from OrderConfirmed). A shipment's or a
backorder's details came only with their events, so those are sent without them.

Raises `RecipientUnknown` when no OrderConfirmed of the order was ever seen (there is no
address to write to), `NotificationFailed` when the mail server is down.
"""

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from communications.adapters import recipients
from communications.application.notify import Notified, Notify, NotifyCustomer
from communications.application.ports import RecipientUnknown
from communications.domain.notifications import NotificationKind, resend_event_id


@dataclass(frozen=True)
class ResendNotification:
    order_id: str
    kind: NotificationKind


async def resend_notification(
    sessions: async_sessionmaker[AsyncSession], command: ResendNotification, *, notify: Notify
) -> Notified:
    """The fact's SENT notification: sent now, or the one sent before (`sent_now` False)."""
    async with sessions.begin() as session:
        recipient = await recipients.recipient_for(session, command.order_id)
        if recipient is None:
            # Nothing of this order was ever sent either: every email needs the address.
            raise RecipientUnknown(command.order_id)
        resend = NotifyCustomer(
            order_id=command.order_id,
            kind=command.kind,
            about_event_id=resend_event_id(command.order_id, command.kind),
            recipient=recipient.email,
            facts=recipient.resend_facts(command.kind),
        )
        return await notify(session, resend)

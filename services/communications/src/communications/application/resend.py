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

The repairer may say who the customer is and what the order's total is (checkout holds
both), for when OrderConfirmed itself was lost here. What this service remembered wins;
a given recipient is used only when none is stored, and is then stored (first one wins,
in a transaction of its own, as OrderConfirmed's is), so it also serves the order's later
emails and outlives an email that fails.

Raises `RecipientUnknown` when no OrderConfirmed of the order was ever seen and no
recipient is given (there is no address to write to), `NotificationFailed` when the mail
server is down.
"""

from dataclasses import dataclass, replace
from datetime import datetime

from shop_servicekit import Clock
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from communications.adapters import recipients
from communications.application.notify import Notified, Notify, NotifyCustomer
from communications.application.records import remember_recipient
from communications.domain.errors import RecipientUnknown
from communications.domain.notifications import NotificationKind, Recipient, resend_event_id


@dataclass(frozen=True)
class Total:
    amount: int
    currency: str


@dataclass(frozen=True)
class GivenRecipient:
    """The order's customer as the repairer knows it."""

    customer_id: str
    email: str


@dataclass(frozen=True)
class ResendNotification:
    order_id: str
    kind: NotificationKind
    recipient: GivenRecipient | None = None
    total: Total | None = None


async def resend_notification(
    sessions: async_sessionmaker[AsyncSession],
    command: ResendNotification,
    *,
    notify: Notify,
    clock: Clock,
) -> Notified:
    """The fact's SENT notification: sent now, or the one sent before (`sent_now` False)."""
    if command.recipient is not None:
        async with sessions() as session:
            stored = await recipients.recipient_for(session, command.order_id)
        if stored is None:
            await remember_recipient(sessions, _recipient_of(command, command.recipient, clock()))
    async with sessions.begin() as session:
        # Read again: a concurrent OrderConfirmed (or resend) may have stored one first.
        recipient = await recipients.recipient_for(session, command.order_id)
        if recipient is None:
            # Nothing of this order was ever sent either: every email needs the address.
            raise RecipientUnknown(command.order_id)
        if recipient.total_amount is None and command.total is not None:
            # Remembered before totals were: the repairer's total fills the confirmation.
            recipient = replace(
                recipient,
                total_amount=command.total.amount,
                total_currency=command.total.currency,
            )
        resend = NotifyCustomer(
            order_id=command.order_id,
            kind=command.kind,
            about_event_id=resend_event_id(command.order_id, command.kind),
            recipient=recipient.email,
            facts=recipient.resend_facts(command.kind),
        )
        return await notify(session, resend)


def _recipient_of(command: ResendNotification, given: GivenRecipient, at: datetime) -> Recipient:
    total = command.total
    return Recipient(
        command.order_id,
        given.customer_id,
        given.email,
        at,
        total_amount=None if total is None else total.amount,
        total_currency=None if total is None else total.currency,
    )

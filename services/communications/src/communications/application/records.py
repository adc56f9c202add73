"""Writes that must outlive the caller's transaction, each in a transaction of its own.

A consumer that cannot mail raises to have its event retried, which rolls its inbox
transaction back; what these write stays: the intent to send (SENDING, committed before
the mail server sees the email), the outcome (SENT with its CustomerNotified, or FAILED;
visible to the API and to reconciliation), the order's recipient (a shipment email must
not wait on a confirmation that is being retried) and the order's total (a resent
confirmation names it). None of them waits on the caller: the caller writes none of these
rows.
"""

import asyncio
import logging

from shop_contracts import CloudEvent, CustomerNotified
from shop_messaging import Outbox
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from communications.adapters import notifications, recipients
from communications.domain.notifications import Notification, Recipient

log = logging.getLogger(__name__)

SENT_RETRY_MAX_SECONDS = 5.0


async def record_intent(sessions: async_sessionmaker[AsyncSession], attempt: Notification) -> None:
    """Store `attempt` as SENDING: from here on, the email may have left."""
    async with sessions.begin() as session:
        await notifications.save_unsent(session, attempt)


async def record_failure(sessions: async_sessionmaker[AsyncSession], attempt: Notification) -> None:
    """Store `attempt` as FAILED (the mail server did not accept it)."""
    async with sessions.begin() as session:
        await notifications.save_unsent(session, attempt)


async def record_sent(
    sessions: async_sessionmaker[AsyncSession], sent: Notification, outbox: Outbox
) -> Notification:
    """Store `sent` (SENT) and its CustomerNotified, retried until the commit lands.

    The mail server has accepted the email: only this commit tells the next attempt so.
    Giving up here (the database restarting) would have the event retried and the email
    sent again, so it waits out the outage instead; a crash meanwhile leaves the intent.
    """
    attempt = 0
    while True:
        try:
            async with sessions.begin() as session:
                stored = await notifications.save_sent(session, sent)
                await outbox.add(
                    session,
                    CloudEvent.create(
                        CustomerNotified(
                            order_id=stored.order_id,
                            notification_id=stored.id,
                            kind=stored.kind.value,
                            about_event_id=stored.about_event_id,
                        ),
                        time=stored.sent_at,
                    ),
                )
            return stored
        except Exception as exc:
            attempt += 1
            delay = min(SENT_RETRY_MAX_SECONDS, 0.1 * 2**attempt)
            log.warning("notification %s was sent but not recorded (%r); retrying in %.1fs",
                        sent.id, exc, delay, extra={"order_id": sent.order_id})  # fmt: skip
            await asyncio.sleep(delay)


async def remember_recipient(
    sessions: async_sessionmaker[AsyncSession], recipient: Recipient
) -> None:
    """Store the order's recipient (first one wins; an order's address does not change)."""
    async with sessions.begin() as session:
        await recipients.add_recipient(session, recipient)


async def remember_total(
    sessions: async_sessionmaker[AsyncSession], order_id: str, amount: int, currency: str
) -> None:
    """Store the order's total on its recipient, unless it has one."""
    async with sessions.begin() as session:
        await recipients.set_total(session, order_id, amount, currency)

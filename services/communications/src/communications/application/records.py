"""Writes that must outlive the caller's transaction, each in a transaction of its own.

A consumer that cannot mail raises to have its event retried, which rolls its inbox
transaction back; what these write stays: the FAILED attempt (visible to the API and to
reconciliation) and the order's recipient (a shipment email must not wait on a
confirmation that is being retried).
"""

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from communications.adapters import notifications, recipients
from communications.domain.notifications import Notification, Recipient


async def record_failure(sessions: async_sessionmaker[AsyncSession], attempt: Notification) -> None:
    """Store `attempt` as FAILED unless its event has a row. It never waits on the caller:
    the caller has not written this row."""
    async with sessions.begin() as session:
        await notifications.add_failed(session, attempt)


async def remember_recipient(
    sessions: async_sessionmaker[AsyncSession], recipient: Recipient
) -> None:
    """Store the order's recipient (first one wins; an order's address does not change)."""
    async with sessions.begin() as session:
        await recipients.add_recipient(session, recipient)

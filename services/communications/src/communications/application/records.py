"""Writes that must outlive the caller's transaction, each in a transaction of its own.

A consumer that cannot mail raises to have its event retried, which rolls its inbox
transaction back; what these write stays: the FAILED attempt (visible to the API and to
reconciliation), a recipient given by a resend, and the order's total (a resent
confirmation names it).
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


async def remember_total(
    sessions: async_sessionmaker[AsyncSession], order_id: str, amount: int, currency: str
) -> None:
    """Store the order's total on its recipient, unless it has one."""
    async with sessions.begin() as session:
        await recipients.set_total(session, order_id, amount, currency)

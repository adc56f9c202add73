"""Reads and writes of recipients (an order's customer and email address)."""

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from communications.adapters.tables import recipients
from communications.domain.notifications import Recipient


async def remember(sessions: async_sessionmaker[AsyncSession], recipient: Recipient) -> None:
    """Store `recipient` in a transaction of its own (first one wins; an order's address
    does not change). Its own, so the address outlives a confirmation email that fails."""
    async with sessions.begin() as session:
        await session.execute(
            insert(recipients)
            .values(
                order_id=recipient.order_id,
                customer_id=recipient.customer_id,
                email=recipient.email,
                total_amount=recipient.total_amount,
                total_currency=recipient.total_currency,
                created_at=recipient.created_at,
            )
            .on_conflict_do_nothing(index_elements=[recipients.c.order_id])
        )


async def recipient_for(session: AsyncSession, order_id: str) -> Recipient | None:
    row = (
        await session.execute(select(recipients).where(recipients.c.order_id == order_id))
    ).one_or_none()
    if row is None:
        return None
    return Recipient(
        row.order_id,
        row.customer_id,
        row.email,
        row.created_at,
        total_amount=row.total_amount,
        total_currency=row.total_currency,
    )

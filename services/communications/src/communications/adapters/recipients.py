"""Reads and writes of recipients (an order's customer and email address)."""

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from communications.adapters.tables import recipients
from communications.domain.notifications import Recipient


async def add_recipient(session: AsyncSession, recipient: Recipient) -> None:
    """Store `recipient` unless the order has one (first one wins)."""
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


async def set_total(session: AsyncSession, order_id: str, amount: int, currency: str) -> None:
    """Fill the order's total on its recipient, unless one is stored (first one wins)."""
    await session.execute(
        update(recipients)
        .where(recipients.c.order_id == order_id, recipients.c.total_amount.is_(None))
        .values(total_amount=amount, total_currency=currency)
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

"""Reads and writes of stock receipts, in the caller's session (its transaction)."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from inventory.adapters.tables import stock_receipts
from inventory.domain.receipts import Receipt


async def add_receipt(session: AsyncSession, receipt: Receipt) -> bool:
    """Record the receipt; False when its Idempotency-Key is already taken.

    A concurrent insert of the same key waits for the first transaction to finish, so of
    two racing retries exactly one records the receipt.
    """
    result: Any = await session.execute(
        insert(stock_receipts)
        .values(
            id=receipt.id,
            sku=receipt.sku,
            quantity=receipt.quantity,
            reference=receipt.reference,
            idempotency_key=receipt.idempotency_key,
            received_at=receipt.received_at,
        )
        .on_conflict_do_nothing(index_elements=[stock_receipts.c.idempotency_key])
    )
    return bool(result.rowcount == 1)


async def get_receipt_by_key(session: AsyncSession, idempotency_key: str) -> Receipt | None:
    row = (
        await session.execute(
            select(stock_receipts).where(stock_receipts.c.idempotency_key == idempotency_key)
        )
    ).one_or_none()
    if row is None:
        return None
    return Receipt(
        id=row.id,
        sku=row.sku,
        quantity=row.quantity,
        reference=row.reference,
        idempotency_key=row.idempotency_key,
        received_at=row.received_at,
    )

"""Reads and writes of refunds, in the caller's session (its transaction)."""

from collections.abc import Mapping
from typing import Any

from shop_servicekit import Page, Window, read_page
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from payment.adapters.tables import refunds
from payment.domain.refunds import Refund


async def add(session: AsyncSession, refund: Refund) -> bool:
    """True if written; False if the return was refunded before (nothing written)."""
    written = await session.execute(
        insert(refunds)
        .values(
            id=refund.id,
            authorization_id=refund.authorization_id,
            order_id=refund.order_id,
            return_id=refund.return_id,
            amount=refund.amount,
            currency=refund.currency,
            created_at=refund.created_at,
        )
        .on_conflict_do_nothing(index_elements=[refunds.c.return_id])
        .returning(refunds.c.id)
    )
    return written.first() is not None


async def for_return(session: AsyncSession, return_id: str) -> Refund | None:
    row = (
        await session.execute(select(refunds).where(refunds.c.return_id == return_id))
    ).one_or_none()
    if row is None:
        return None
    return Refund(
        row.id,
        row.authorization_id,
        row.order_id,
        row.return_id,
        row.amount,
        row.currency,
        row.created_at,
    )


async def refunded_total(session: AsyncSession, authorization_id: str) -> int:
    total = await session.scalar(
        select(func.coalesce(func.sum(refunds.c.amount), 0)).where(
            refunds.c.authorization_id == authorization_id
        )
    )
    return int(total or 0)


async def refunds_page(session: AsyncSession, window: Window) -> Page:
    """Reconciliation's read (GET /internal/v1/refunds): one keyset page."""
    t = refunds
    return await read_page(session, select(t), t.c.created_at, t.c.id, window, render=_item)


def _item(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "refund_id": row["id"],
        "authorization_id": row["authorization_id"],
        "order_id": row["order_id"],
        "return_id": row["return_id"],
        "amount": {"amount": row["amount"], "currency": row["currency"]},
        "created_at": row["created_at"],
    }

"""Reads and writes of returns and their timelines, in the caller's session."""

from collections.abc import Mapping
from typing import Any

from shop_servicekit import Page, Window, read_page
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from returns.adapters.tables import return_lines, return_timeline, returns
from returns.domain.returns import Return, ReturnStatus, TimelineEntry


async def add_return(
    session: AsyncSession, ret: Return, *, idempotency_key: str, fingerprint: str
) -> bool:
    """True if written; False if the key had already created a return (nothing written)."""
    written = await session.execute(
        insert(returns)
        .values(
            id=ret.id,
            order_id=ret.order_id,
            customer_id=ret.customer_id,
            status=ret.status.value,
            refund_amount=ret.refund_amount,
            currency=ret.currency,
            idempotency_key=idempotency_key,
            fingerprint=fingerprint,
            requested_at=ret.requested_at,
        )
        .on_conflict_do_nothing(index_elements=[returns.c.idempotency_key])
        .returning(returns.c.id)
    )
    if written.first() is None:
        return False
    await session.execute(
        insert(return_lines),
        [{"return_id": ret.id, "sku": sku, "quantity": qty} for sku, qty in ret.lines.items()],
    )
    return True


async def for_key(session: AsyncSession, idempotency_key: str) -> tuple[Return, str] | None:
    """The return a key created and the fingerprint of the body that created it."""
    row = (
        await session.execute(
            select(returns.c.id, returns.c.fingerprint).where(
                returns.c.idempotency_key == idempotency_key
            )
        )
    ).one_or_none()
    if row is None:
        return None
    found = await get(session, row.id)
    return None if found is None else (found, row.fingerprint)


async def returned_so_far(session: AsyncSession, order_id: str) -> dict[str, int]:
    """Units per SKU that the order's returns (any status) take back."""
    rows = await session.execute(
        select(return_lines.c.sku, func.sum(return_lines.c.quantity).label("quantity"))
        .join(returns, returns.c.id == return_lines.c.return_id)
        .where(returns.c.order_id == order_id)
        .group_by(return_lines.c.sku)
    )
    return {row.sku: int(row.quantity) for row in rows}


async def get(session: AsyncSession, return_id: str, *, lock: bool = False) -> Return | None:
    query = select(returns).where(returns.c.id == return_id)
    row = (await session.execute(query.with_for_update() if lock else query)).one_or_none()
    if row is None:
        return None
    lines = await session.execute(
        select(return_lines)
        .where(return_lines.c.return_id == return_id)
        .order_by(return_lines.c.sku)
    )
    timeline = await session.execute(
        select(return_timeline)
        .where(return_timeline.c.return_id == return_id)
        .order_by(return_timeline.c.id)
    )
    return Return(
        id=row.id,
        order_id=row.order_id,
        customer_id=row.customer_id,
        status=ReturnStatus(row.status),
        lines={line.sku: line.quantity for line in lines},
        refund_amount=row.refund_amount,
        currency=row.currency,
        requested_at=row.requested_at,
        received_at=row.received_at,
        refunded_at=row.refunded_at,
        restocked_at=row.restocked_at,
        timeline=tuple(TimelineEntry(t.type, t.source, t.occurred_at, t.detail) for t in timeline),
    )


async def save_status(session: AsyncSession, ret: Return) -> None:
    await session.execute(
        update(returns)
        .where(returns.c.id == ret.id)
        .values(
            status=ret.status.value,
            received_at=ret.received_at,
            refunded_at=ret.refunded_at,
            restocked_at=ret.restocked_at,
        )
    )


async def add_timeline_entry(
    session: AsyncSession, return_id: str, entry: TimelineEntry, fact_key: str
) -> bool:
    """True if added; False if this business fact is already on the return's timeline."""
    written = await session.execute(
        insert(return_timeline)
        .values(
            return_id=return_id,
            type=entry.type,
            source=entry.source,
            occurred_at=entry.occurred_at,
            detail=dict(entry.detail),
            fact_key=f"{return_id}:{fact_key}",
        )
        .on_conflict_do_nothing(index_elements=[return_timeline.c.fact_key])
        .returning(return_timeline.c.id)
    )
    return written.first() is not None


async def returns_page(session: AsyncSession, window: Window) -> Page:
    """Reconciliation's read (GET /internal/v1/returns): one keyset page, lines included."""
    lines = (
        select(func.json_object_agg(return_lines.c.sku, return_lines.c.quantity))
        .where(return_lines.c.return_id == returns.c.id)
        .scalar_subquery()
        .label("lines")
    )
    t = returns
    query = select(
        t.c.id,
        t.c.order_id,
        t.c.status,
        t.c.refund_amount,
        t.c.currency,
        t.c.requested_at,
        t.c.received_at,
        t.c.refunded_at,
        t.c.restocked_at,
        lines,
    )
    return await read_page(session, query, t.c.requested_at, t.c.id, window, render=_page_item)


def _page_item(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "return_id": row["id"],
        "order_id": row["order_id"],
        "status": row["status"],
        "refund": {"amount": row["refund_amount"], "currency": row["currency"]},
        "lines": [{"sku": sku, "quantity": qty} for sku, qty in sorted(row["lines"].items())],
        "created_at": row["requested_at"],
        "received_at": row["received_at"],
        "refunded_at": row["refunded_at"],
        "restocked_at": row["restocked_at"],
    }

"""Restocks of returned units, in the caller's session (its transaction)."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from shop_servicekit import Page, Window, read_page
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from inventory.adapters.tables import restocks


async def add_restock(
    session: AsyncSession,
    *,
    return_id: str,
    order_id: str,
    lines: Mapping[str, int],
    now: datetime,
) -> bool:
    """True if recorded now; False if the return was restocked before (nothing written)."""
    written = await session.execute(
        insert(restocks)
        .values(return_id=return_id, order_id=order_id, lines=dict(lines), created_at=now)
        .on_conflict_do_nothing(index_elements=[restocks.c.return_id])
        .returning(restocks.c.return_id)
    )
    return written.first() is not None


async def restocks_page(session: AsyncSession, window: Window) -> Page:
    """Reconciliation's read (GET /internal/v1/restocks): one keyset page."""
    t = restocks
    return await read_page(session, select(t), t.c.created_at, t.c.return_id, window, render=_item)


def _item(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "return_id": row["return_id"],
        "order_id": row["order_id"],
        "lines": [{"sku": sku, "quantity": qty} for sku, qty in sorted(row["lines"].items())],
        "created_at": row["created_at"],
    }

"""One order's trail in this service's own tables: the events seen, the findings made.

The console's order journey reads these; nothing here writes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from reconciliation.adapters.tables import coordination_events, findings, reconciliation_runs


async def events_of_order(session: AsyncSession, order_id: str) -> list[Any]:
    """The tracked events about the order, oldest first (rows: type, occurred_at, ...)."""
    t = coordination_events
    query = select(t).where(t.c.order_id == order_id).order_by(t.c.occurred_at, t.c.event_id)
    return list((await session.execute(query)).all())


async def findings_of_order(session: AsyncSession, order_id: str) -> list[Any]:
    """Every finding any run made about the order, newest first, with its run's dry_run."""
    f, r = findings, reconciliation_runs
    query = (
        select(f, r.c.dry_run)
        .join(r, r.c.id == f.c.run_id)
        .where(f.c.order_id == order_id)
        .order_by(f.c.created_at.desc(), f.c.id)
        .limit(200)
    )
    return list((await session.execute(query)).all())

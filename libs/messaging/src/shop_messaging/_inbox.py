"""The inbox: which events a consumer group has already handled, per database."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ._tables import inbox_table


async def claim(session: AsyncSession, consumer_group: str, event_id: str) -> bool:
    """Record the event as handled by the group, in the caller's transaction.

        async with session.begin():
            if await claim(session, "fulfillment", event.id):
                await allocate(session, event)

    Returns False when it was already handled: the caller must then do nothing. A
    concurrent claimant of the same event blocks on the row until the first commits or
    rolls back, so exactly one of them gets True.
    """
    result: Any = await session.execute(
        insert(inbox_table)
        .values(consumer_group=consumer_group, event_id=event_id)
        .on_conflict_do_nothing()
    )
    return bool(result.rowcount == 1)

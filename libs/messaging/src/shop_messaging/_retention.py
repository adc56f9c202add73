"""How long the outbox and the inbox keep their rows, and the purge that holds them to it.

Both tables gain a row with every event, so without a purge they grow for good. Each row
is kept for as long as something may still need it:

    published outbox rows  `outbox` (7 days) after publication: the republish repair marks
                           a lost event's row unpublished again, and an operator may want
                           to read what was sent. Unpublished and parked rows are never
                           purged: they are still owed to the broker.
    inbox rows             `inbox` (14 days) after handling: the inbox is the dedup of a
                           record that comes again, and a record can come again for as long
                           as the broker keeps it (a group re-reading a partition from the
                           start, a DLQ replay). Keep this longer than the broker's log
                           retention: Kafka's default is 7 days.

    purged = await purge(sessions, Retention.of(settings), now=utc_now())

Rows go in batches, one short transaction each, so a purge never holds many locks or a
long transaction against the relay and the consumers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ._metrics import ROWS_PURGED
from ._tables import inbox_table, outbox_table


@dataclass(frozen=True)
class Retention:
    outbox: timedelta = timedelta(days=7)
    inbox: timedelta = timedelta(days=14)

    @classmethod
    def of(cls, settings: RetentionSettings) -> Retention:
        """A service's retention, from its settings (`ServiceSettings` has both fields)."""
        return cls(
            outbox=timedelta(days=settings.outbox_retention_days),
            inbox=timedelta(days=settings.inbox_retention_days),
        )


class RetentionSettings(Protocol):
    @property
    def outbox_retention_days(self) -> float: ...

    @property
    def inbox_retention_days(self) -> float: ...


@dataclass(frozen=True)
class Purged:
    outbox: int
    inbox: int


async def purge(
    sessions: async_sessionmaker[AsyncSession],
    retention: Retention,
    *,
    now: datetime,
    batch: int = 1000,
) -> Purged:
    """Delete the rows `retention` no longer keeps, `batch` rows per transaction."""
    published_before = now - retention.outbox
    outbox_rows = (
        sa.select(outbox_table.c.id)
        .where(outbox_table.c.published_at < published_before)
        .order_by(outbox_table.c.id)
        .limit(batch)
    )
    outbox = await _in_batches(
        sessions,
        sa.delete(outbox_table).where(outbox_table.c.id.in_(outbox_rows.scalar_subquery())),
        batch,
    )
    inbox_key = sa.tuple_(inbox_table.c.consumer_group, inbox_table.c.event_id)
    inbox_rows = (
        sa.select(inbox_table.c.consumer_group, inbox_table.c.event_id)
        .where(inbox_table.c.handled_at < now - retention.inbox)
        .limit(batch)
    )
    inbox = await _in_batches(
        sessions, sa.delete(inbox_table).where(inbox_key.in_(inbox_rows)), batch
    )
    ROWS_PURGED.labels("outbox").inc(outbox)
    ROWS_PURGED.labels("inbox").inc(inbox)
    return Purged(outbox=outbox, inbox=inbox)


async def _in_batches(
    sessions: async_sessionmaker[AsyncSession], delete: sa.Delete, batch: int
) -> int:
    total = 0
    while True:
        async with sessions.begin() as session:
            result = await session.execute(delete)
        deleted = int(getattr(result, "rowcount", 0) or 0)
        total += deleted
        if deleted < batch:  # a short batch was the last one
            return total

"""Published outbox rows and inbox rows are purged once their retention ends; rows still
owed to the broker (unpublished, parked) never are."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from shop_contracts import OrderCancelled
from shop_messaging import MessagingWorker, Outbox, Retention, claim, purge
from shop_messaging._tables import inbox_table, outbox_table
from shop_testing.eventually import eventually
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
RETENTION = Retention(outbox=timedelta(days=7), inbox=timedelta(days=14))


async def _event(sessions: async_sessionmaker[AsyncSession], **row: object) -> str:
    """An outbox row for a new event, with its publication columns set to `row`."""
    async with sessions.begin() as session:
        event = await Outbox().add(
            session, OrderCancelled(order_id=f"ord_{uuid.uuid4().hex}", reason="test")
        )
        if row:
            await session.execute(
                sa.update(outbox_table).where(outbox_table.c.event_id == event.id).values(**row)
            )
    return event.id


async def _handled(sessions: async_sessionmaker[AsyncSession], at: datetime) -> str:
    event_id = f"evt_{uuid.uuid4().hex}"
    async with sessions.begin() as session:
        assert await claim(session, "fulfillment", event_id)
        await session.execute(
            sa.update(inbox_table).where(inbox_table.c.event_id == event_id).values(handled_at=at)
        )
    return event_id


async def _outbox_ids(sessions: async_sessionmaker[AsyncSession]) -> set[str]:
    async with sessions() as session:
        return set((await session.scalars(sa.select(outbox_table.c.event_id))).all())


async def _inbox_ids(sessions: async_sessionmaker[AsyncSession]) -> set[str]:
    async with sessions() as session:
        return set((await session.scalars(sa.select(inbox_table.c.event_id))).all())


@pytest.mark.parametrize("batch", [1000, 2])  # one transaction; several
async def test_only_rows_past_their_retention_and_no_longer_owed_are_purged(
    session_factory: async_sessionmaker[AsyncSession], batch: int
) -> None:
    old = NOW - timedelta(days=8)
    for _ in range(5):
        await _event(session_factory, published_at=old)
    kept = {
        await _event(session_factory, published_at=NOW - timedelta(days=6)),
        await _event(session_factory),  # unpublished: still owed to the broker
        await _event(session_factory, parked_at=old, park_reason="too large"),  # an operator's
    }
    for _ in range(3):
        await _handled(session_factory, NOW - timedelta(days=15))
    remembered = {await _handled(session_factory, NOW - timedelta(days=13))}

    purged = await purge(session_factory, RETENTION, now=NOW, batch=batch)

    assert (purged.outbox, purged.inbox) == (5, 3)
    assert await _outbox_ids(session_factory) == kept
    assert await _inbox_ids(session_factory) == remembered
    # Nothing left to purge: a second run deletes nothing.
    again = await purge(session_factory, RETENTION, now=NOW, batch=batch)
    assert (again.outbox, again.inbox) == (0, 0)


async def test_the_workers_retention_task_purges_on_start_and_keeps_running(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    long_ago = datetime.now(UTC) - timedelta(days=30)
    expired = await _event(session_factory, published_at=long_ago)
    fresh = await _event(session_factory, published_at=datetime.now(UTC))
    worker = MessagingWorker(
        "fulfillment", engine, session_factory, bootstrap_servers="unused:9092",
        enable_idempotence=False,
    )  # fmt: skip
    task = worker.retention(RETENTION, every=3600)

    running = asyncio.create_task(task())
    try:
        await eventually(lambda: _gone(session_factory, expired), timeout=10)
        assert not running.done()  # it sleeps until the next round, it does not return
    finally:
        running.cancel()
    assert fresh in await _outbox_ids(session_factory)


async def _gone(sessions: async_sessionmaker[AsyncSession], event_id: str) -> bool:
    return event_id not in await _outbox_ids(sessions)

"""The outbox relay: publishes committed outbox rows to Kafka, in order, at least once.

A row is marked published only after the broker acknowledged it, in the same transaction
that locked it; if anything fails the transaction rolls back and the row is sent again on
the next pass (consumers' inboxes make the duplicate harmless).

A row the broker refuses for good (too large, no such topic) is parked instead: marked
with `parked_at` and the reason, logged as an error and counted, and skipped from then on,
so it cannot block the rows behind it. Events of the same key behind a parked row are
published, so a consumer sees them without the parked one (docs/messaging-failures.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import zlib
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ._metrics import EVENTS_PUBLISHED, OUTBOX_BACKLOG, OUTBOX_PARKED, RELAY_ERRORS, RELAY_LAG
from ._outbox import NOTIFY_CHANNEL
from ._publisher import Delivery, Publisher, Record, UnpublishableRecord
from ._tables import outbox_table
from ._tracing import end_publish, start_publish

log = logging.getLogger(__name__)

# One relay publishes at a time per database. SKIP LOCKED alone stops double sends, but two
# relays taking consecutive batches could publish them out of order and break per-key order.
_RELAY_LOCK_KEY = zlib.crc32(b"shop_messaging.outbox_relay")


# Unpublished and not parked: what the relay still has to send.
_WAITING = sa.and_(outbox_table.c.published_at.is_(None), outbox_table.c.parked_at.is_(None))


class OutboxRelay:
    """Publishes the `outbox` table of one database to Kafka.

        relay = OutboxRelay(engine, publisher)
        task = asyncio.create_task(relay.run())   # the worker process
        ...
        relay.stop(); await task

        await relay.publish_once()                # tests: one pass, returns rows sent

    It wakes on the outbox's NOTIFY and otherwise polls every `poll_interval` seconds, or
    every `listening_poll_interval` while LISTEN works (polling is then only the fallback
    for a notification lost with its connection, and an idle relay stays quiet);
    while the broker or database is down it retries with exponential backoff capped at
    `max_backoff`: a few seconds, so events go out promptly once the broker is back.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        publisher: Publisher,
        *,
        batch_size: int = 100,
        poll_interval: float = 1.0,
        listening_poll_interval: float = 5.0,
        max_backoff: float = 3.0,
        notify_channel: str | None = NOTIFY_CHANNEL,
    ) -> None:
        self._engine = engine
        self._publisher = publisher
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._listening_poll_interval = listening_poll_interval
        self._max_backoff = max_backoff
        self._notify_channel = notify_channel
        self._wake = asyncio.Event()
        self._stopping = False

    async def publish_once(self) -> int:
        """Publish up to one batch of unpublished rows; return how many were published."""
        async with self._engine.begin() as conn:
            locked = await conn.scalar(
                sa.select(sa.func.pg_try_advisory_xact_lock(_RELAY_LOCK_KEY))
            )
            if not locked:
                return 0  # another relay is mid-batch; it will take these rows too
            rows = (
                await conn.execute(
                    sa.select(
                        outbox_table.c.id,
                        outbox_table.c.topic,
                        outbox_table.c.key,
                        outbox_table.c.headers,
                        outbox_table.c.payload,
                        sa.extract("epoch", sa.func.clock_timestamp() - outbox_table.c.created_at),
                        outbox_table.c.event_id,
                    )
                    .where(
                        outbox_table.c.published_at.is_(None), outbox_table.c.parked_at.is_(None)
                    )
                    .order_by(outbox_table.c.id)
                    .limit(self._batch_size)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            RELAY_LAG.set(float(rows[0][5]) if rows else 0.0)
            if len(rows) < self._batch_size:  # all of it: the backlog needs no count
                OUTBOX_BACKLOG.set(len(rows))
            if not rows:
                return 0
            records = [_record(row) for row in rows]
            # One span per event, each a child of the event's creation (when exported).
            spans = [
                start_publish(r.topic, row.event_id, r.key, r.headers)
                for r, row in zip(records, rows, strict=True)
            ]
            try:
                deliveries = await self._publisher.publish(records)
            except UnpublishableRecord as refused:
                _end_spans(spans, None, refused)
                # Commit the parking alone; the rows around it go out on the next pass
                # (those before it perhaps twice: the inboxes make that harmless).
                await _park(conn, rows[refused.index], refused.reason)
                return 0
            except BaseException as failed:
                _end_spans(spans, None, failed)
                raise
            _end_spans(spans, deliveries, None)
            if len(rows) < self._batch_size:
                OUTBOX_BACKLOG.set(0)  # every waiting row was in this batch
            await conn.execute(
                sa.update(outbox_table)
                .where(outbox_table.c.id.in_([row.id for row in rows]))
                .values(published_at=sa.func.now())
            )
        for row in rows:
            EVENTS_PUBLISHED.labels(row.topic).inc()
        return len(rows)

    async def run(self) -> None:
        """Publish until `stop()` is called or the task is cancelled."""
        self._stopping = False
        failures = 0
        async with self._listening() as listening:
            while not self._stopping:
                self._wake.clear()
                try:
                    published = await self.publish_once()
                except Exception:
                    failures += 1
                    RELAY_ERRORS.inc()
                    delay = min(self._max_backoff, self._poll_interval * 2**failures)
                    log.warning("outbox relay pass failed; retrying in %.1fs", delay, exc_info=True)
                    await self._sleep(delay * random.uniform(0.5, 1.0))
                    continue
                failures = 0
                if published >= self._batch_size:
                    await self._count_backlog()
                if published < self._batch_size:
                    await self._sleep(
                        self._listening_poll_interval if listening() else self._poll_interval
                    )

    async def _count_backlog(self) -> None:
        """A full batch leaves an unknown number behind: count them (the partial index
        keeps the count to the unpublished rows)."""
        try:
            async with self._engine.connect() as conn:
                waiting = await conn.scalar(sa.select(sa.func.count()).where(_WAITING))
        except Exception:
            return  # the next pass will fail or succeed loudly; the gauge can wait
        OUTBOX_BACKLOG.set(waiting or 0)

    def stop(self) -> None:
        """Ask `run()` to return after the current pass."""
        self._stopping = True
        self._wake.set()

    async def _sleep(self, seconds: float) -> None:
        # Interrupted by a NOTIFY or stop().
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)

    @contextlib.asynccontextmanager
    async def _listening(self) -> AsyncIterator[Callable[[], bool]]:
        """LISTEN on a dedicated connection; any failure just leaves the relay polling.
        Yields a check: is the LISTEN connection still open (a database restart closes it)?"""
        if self._notify_channel is None:
            yield lambda: False
            return
        try:
            conn = await self._engine.connect()
        except Exception:
            log.warning("outbox relay cannot LISTEN; polling only", exc_info=True)
            yield lambda: False
            return
        driver: Any = None
        try:
            driver = (await conn.get_raw_connection()).driver_connection
            await driver.add_listener(self._notify_channel, self._on_notify)
        except Exception:
            driver = None
            log.warning("outbox relay cannot LISTEN; polling only", exc_info=True)
        try:
            yield lambda: driver is not None and not driver.is_closed()
        finally:
            with contextlib.suppress(Exception):
                if driver is not None:
                    # The connection goes back to the pool; it must not keep waking us.
                    await driver.remove_listener(self._notify_channel, self._on_notify)
                await conn.close()

    def _on_notify(self, *_: object) -> None:
        self._wake.set()


async def _park(conn: AsyncConnection, row: Any, reason: str) -> None:
    await conn.execute(
        sa.update(outbox_table)
        .where(outbox_table.c.id == row.id)
        .values(parked_at=sa.func.now(), park_reason=reason[:2000])
    )
    OUTBOX_PARKED.labels(row.topic).inc()
    log.error(
        "outbox row %d (%s) parked, never to be published: %s",
        row.id,
        row.topic,
        reason,
        extra={"outbox_id": row.id, "topic": row.topic},
    )


def _end_spans(
    spans: list[Any], deliveries: Sequence[Delivery] | None, error: BaseException | None
) -> None:
    for index, span in enumerate(spans):
        delivered = deliveries[index] if deliveries and index < len(deliveries) else None
        end_publish(
            span,
            partition=delivered.partition if delivered else None,
            offset=delivered.offset if delivered else None,
            error=error,
        )


def _record(row: Any) -> Record:
    headers: list[list[str]] = row.headers
    return Record(
        topic=row.topic,
        key=row.key.encode() if row.key is not None else None,
        value=json.dumps(row.payload, separators=(",", ":")).encode(),
        headers=[(name, value.encode()) for name, value in headers],
    )

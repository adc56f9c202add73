"""The subscription table on a real broker: records in, order statuses out, duplicates
skipped, events about unknown orders retried then dead-lettered."""

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from checkout.bootstrap import build_worker
from checkout.domain.orders import OrderStatus
from checkout.entrypoints.worker import subscriptions
from checkout.settings import CheckoutSettings
from shop_contracts import CloudEvent, Event, from_kafka, to_kafka, topics
from shop_messaging import MessagingWorker, Outbox
from shop_servicekit import Database, utc_now
from shop_testing.eventually import eventually

from .order_events import capture, event, shipment, stored_order, view

FAST_JOIN = {"session_timeout_ms": 1000, "heartbeat_interval_ms": 300}


async def publish(bootstrap: str, *events: CloudEvent[Event]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for published in events:
            key, value, headers = to_kafka(published)
            await producer.send_and_wait(published.topic, value, key=key, headers=headers)
    finally:
        await producer.stop()


async def dead_letters(bootstrap: str, group: str) -> list[str]:
    """Event ids in the group's DLQ so far."""
    consumer = AIOKafkaConsumer(
        topics.dlq(group), bootstrap_servers=bootstrap, auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        batches = await consumer.getmany(timeout_ms=1000)
        return [
            from_kafka(r.key, r.value, r.headers).id for batch in batches.values() for r in batch
        ]
    finally:
        await consumer.stop()


@pytest.fixture
async def consuming(database: Database, kafka_bootstrap_servers: str) -> AsyncIterator[str]:
    """Checkout's consumer, as its own group, running until the test ends; yields the group."""
    # A group of its own: the session's broker also carries other tests' events, which
    # this group will dead-letter quickly (their orders are unknown here).
    group = f"checkout-test-{uuid.uuid4().hex[:8]}"
    messaging = MessagingWorker(
        group,
        database.engine,
        database.sessions,
        bootstrap_servers=kafka_bootstrap_servers,
        enable_idempotence=False,
        consumer_options=FAST_JOIN,
    )
    task = asyncio.create_task(
        messaging.consumer(
            group,
            subscriptions(outbox=Outbox(), clock=utc_now),
            max_attempts=3,
            backoff_base=0.05,
        )()
    )
    try:
        yield group
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await messaging.close()


async def test_events_from_the_broker_complete_the_order_once_each(
    database: Database, kafka_bootstrap_servers: str, consuming: str
) -> None:
    order = await stored_order(database)
    assert order.authorization_id is not None
    shipped = event(shipment(order.id), after=1)
    captured = event(capture(order.id, order.authorization_id), after=2)

    # The shipment twice (a redelivery), and the same capture republished with a new id.
    await publish(kafka_bootstrap_servers, shipped, shipped, captured)
    await publish(kafka_bootstrap_servers, event(capture(order.id, order.authorization_id)))

    async def completed() -> bool:
        return (await view(database, order.id)).status is OrderStatus.COMPLETED

    await eventually(completed, timeout=30)
    await asyncio.sleep(0.5)  # let any duplicate that was going to land, land
    types = [e.type for e in (await view(database, order.id)).timeline]
    assert types.count("ShipmentCreated") == 1
    assert types.count("PaymentCaptured") == 1


async def test_an_event_about_an_unknown_order_is_retried_then_dead_lettered(
    kafka_bootstrap_servers: str, consuming: str
) -> None:
    stray = event(shipment(f"ord_unknown_{uuid.uuid4().hex[:8]}"))
    await publish(kafka_bootstrap_servers, stray)

    async def dead_lettered() -> bool:
        return stray.id in await dead_letters(kafka_bootstrap_servers, consuming)

    await eventually(dead_lettered, timeout=30, interval=0.5)


def test_the_worker_runs_the_outbox_relay_and_the_consumer(database_url: str) -> None:
    worker = build_worker(CheckoutSettings(database_url=database_url))
    assert [task.__name__ for task in worker.tasks] == [
        "outbox_relay",
        "consume_checkout",
        "purge_expired_messages",
        "purge_expired_keys",
    ]

"""The `work` process as bootstrap builds it, on the real broker: a ShipmentCreated from
the topic is captured once, and the relay puts PaymentCaptured on payment.payments."""

import asyncio

from payment.bootstrap import build_worker
from payment.settings import PaymentSettings
from shop_contracts import PaymentCaptured, topics
from shop_servicekit import Database
from shop_testing.eventually import eventually
from sqlalchemy import text

from .broker import events_about, publish
from .payment_events import authorized, new_order_id, shipped, state


async def test_the_worker_captures_a_shipped_order_from_the_topic_once_and_publishes_it(
    db: Database, settings: PaymentSettings, kafka_bootstrap_servers: str
) -> None:
    worker = build_worker(
        PaymentSettings(
            database_url=settings.database_url,
            kafka_bootstrap_servers=kafka_bootstrap_servers,
            # Tansu admits a group member after about half the session timeout.
            kafka_session_timeout_ms=1000,
            kafka_heartbeat_interval_ms=300,
        )
    )
    tasks = [asyncio.create_task(make()) for make in worker.tasks]
    try:
        order_id = new_order_id()
        authorization = await authorized(db, order_id)
        event, republished = shipped(order_id), shipped(order_id)
        # The same record twice (a redelivery), then the fact under a new event id. One
        # key, one partition: once the last is in the inbox, all three have been handled.
        await publish(kafka_bootstrap_servers, event, event, republished)

        await eventually(lambda: handled(db, republished.id), timeout=30)
        await eventually(
            lambda: events_about(kafka_bootstrap_servers, topics.PAYMENTS, order_id), timeout=10
        )
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        assert worker.close is not None
        await worker.close()

    after = await state(db, order_id)
    assert (after["statuses"], len(after["captures"])) == (["CAPTURED"], 1)
    [published] = await events_about(kafka_bootstrap_servers, topics.PAYMENTS, order_id)
    assert isinstance(published.data, PaymentCaptured)
    assert published.data.authorization_id == authorization.id


async def handled(db: Database, event_id: str) -> bool:
    async with db.sessions() as session:
        found = await session.scalar(
            text("SELECT count(*) FROM inbox WHERE consumer_group = 'payment' AND event_id = :e"),
            {"e": event_id},
        )
    return bool(found)

"""The worker as `python -m fulfillment work` builds it, on the real broker: the
subscription table, the consumer runner with its inbox, the dispatch loop and the relay."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fulfillment.bootstrap import build_worker
from fulfillment.settings import FulfillmentSettings
from shop_contracts import CloudEvent, OrderConfirmedV2, to_kafka
from shop_messaging import KafkaPublisher, Record
from shop_servicekit import Database
from shop_testing.eventually import eventually
from sqlalchemy import text

from .events import order_confirmed, republished


@asynccontextmanager
async def running(settings: FulfillmentSettings) -> AsyncIterator[None]:
    worker = build_worker(settings)
    tasks = [asyncio.create_task(make()) for make in worker.tasks]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        assert worker.close is not None
        await worker.close()


async def publish(bootstrap: str, *events: CloudEvent[OrderConfirmedV2]) -> None:
    async with KafkaPublisher(bootstrap) as publisher:
        for event in events:
            key, value, headers = to_kafka(event)
            await publisher.publish([Record(event.topic, key, value, headers)])


async def test_the_worker_ships_a_published_order_once_and_dispatches_it(
    settings: FulfillmentSettings, db: Database, kafka_bootstrap_servers: str
) -> None:
    worker_settings = settings.model_copy(
        update={
            "kafka_bootstrap_servers": kafka_bootstrap_servers,
            # Tansu admits a group member after about half the session timeout.
            "kafka_session_timeout_ms": 1000,
            "kafka_heartbeat_interval_ms": 300,
            "dispatch_delay_seconds": 0.0,
            "dispatch_interval_seconds": 0.1,
        }
    )
    order_id = f"ord_w{uuid.uuid4().hex[:12]}"
    event = order_confirmed(order_id, SKU_MUG_01=1)
    again = republished(event)

    async with running(worker_settings):
        # Delivered twice, then republished under a new id; one key, so one partition, in order.
        await publish(kafka_bootstrap_servers, event, event, again)

        async def handled_both_ids() -> bool:
            async with db.sessions() as session:
                handled = await session.scalar(
                    text(
                        "SELECT count(*) FROM inbox WHERE consumer_group = 'fulfillment'"
                        " AND event_id IN (:a, :b)"
                    ),
                    {"a": event.id, "b": again.id},
                )
            return handled == 2

        async def dispatch_published() -> bool:
            async with db.sessions() as session:
                published = await session.scalar(
                    text(
                        "SELECT count(*) FROM outbox WHERE key = :order AND published_at IS NOT"
                        " NULL AND type = 'shop.fulfillment.ShipmentDispatched.v2'"
                    ),
                    {"order": order_id},
                )
            return published == 1

        await eventually(handled_both_ids, timeout=30)
        await eventually(dispatch_published, timeout=15)

    async with db.sessions() as session:
        rows = (
            await session.execute(
                text("SELECT status, carrier FROM shipments WHERE order_id = :o"), {"o": order_id}
            )
        ).all()
        events = (
            await session.scalars(
                text("SELECT type FROM outbox WHERE key = :o ORDER BY id"), {"o": order_id}
            )
        ).all()
    assert [tuple(row) for row in rows] == [("DISPATCHED", "DHL")]
    assert [name.split(".")[2] for name in events] == ["ShipmentCreated", "ShipmentDispatched"]

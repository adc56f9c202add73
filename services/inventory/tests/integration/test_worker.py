"""The worker as `python -m inventory work` builds it, on the real broker: the subscription
table, the consumer runner with its inbox, and the relay publishing what handlers wrote."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from inventory.bootstrap import build_worker
from inventory.settings import InventorySettings
from shop_contracts import CloudEvent, to_kafka
from shop_messaging import KafkaPublisher, Record
from shop_servicekit import Database
from shop_testing.eventually import eventually
from sqlalchemy import text

from .events import hold, order_confirmed, republished, shipment_created, stock


@asynccontextmanager
async def running(settings: InventorySettings) -> AsyncIterator[None]:
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


async def publish(bootstrap: str, *events: CloudEvent[Any]) -> None:
    async with KafkaPublisher(bootstrap) as publisher:
        for event in events:
            key, value, headers = to_kafka(event)
            await publisher.publish([Record(event.topic, key, value, headers)])


async def test_the_worker_confirms_then_commits_a_shipped_order_once(
    settings: InventorySettings,
    client: httpx.AsyncClient,
    db: Database,
    kafka_bootstrap_servers: str,
) -> None:
    worker_settings = settings.model_copy(
        update={
            "kafka_bootstrap_servers": kafka_bootstrap_servers,
            # Tansu admits a group member after about half the session timeout.
            "kafka_session_timeout_ms": 1000,
            "kafka_heartbeat_interval_ms": 300,
        }
    )
    order_id = f"ord_w{uuid.uuid4().hex[:12]}"
    held = await hold(client, order_id, "SKU-HOODIE-01", 3)
    shipped = shipment_created(order_id, "SKU-HOODIE-01", 3)
    again = republished(shipped)

    async with running(worker_settings):
        # Two topics, so no order between them: confirm first, then ship.
        await publish(kafka_bootstrap_servers, order_confirmed(order_id))

        async def confirmed() -> bool:
            found = await client.get(f"/v1/reservations/{held['reservation_id']}")
            return found.json()["confirmed_at"] is not None

        await eventually(confirmed, timeout=30)
        # Delivered twice, then republished under a new id: one key, one partition, in order.
        await publish(kafka_bootstrap_servers, shipped, shipped, again)

        async def committed_and_published() -> bool:
            async with db.sessions() as session:
                published = await session.scalar(
                    text(
                        "SELECT count(*) FROM outbox WHERE key = :order AND published_at IS NOT"
                        " NULL AND type = 'shop.inventory.ReservationCommitted.v1'"
                    ),
                    {"order": order_id},
                )
                handled = await session.scalar(
                    text("SELECT count(*) FROM inbox WHERE event_id = :again"),
                    {"again": again.id},
                )
            return published == 1 and handled == 1

        await eventually(committed_and_published, timeout=15)

    reservation = (await client.get(f"/v1/reservations/{held['reservation_id']}")).json()
    assert reservation["status"] == "COMMITTED"
    assert reservation["confirmed_at"] is not None
    assert await stock(client, "SKU-HOODIE-01") == (197, 0)

"""The `work` process as bootstrap builds it, on the real broker and a real SMTP server.

One worker for the whole scenario. The session's broker is shared with other tests, whose
shipment events name orders this database does not know (each would be retried, then
dead-lettered): the worker's new group therefore starts at the end of its topics, and the
scenario reads only what it publishes after the group has settled.
"""

import asyncio
import logging
import uuid
from typing import Any

import pytest
from communications.bootstrap import build_worker
from communications.settings import CommunicationsSettings
from prometheus_client import REGISTRY
from shop_contracts import CloudEvent, OrderCancelled, ShipmentDispatched, ShipmentDispatchedV2
from shop_servicekit import Database
from shop_testing.eventually import eventually

from .broker import publish
from .order_events import confirmed, handled, new_order_id, shipped, state


async def test_the_worker_mails_each_fact_once_through_overtaking_and_a_mail_server_outage(
    db: Database,
    settings: CommunicationsSettings,
    mail_server: Any,
    kafka_bootstrap_servers: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="shop_messaging._consumer")
    group = f"communications-{uuid.uuid4().hex[:8]}"
    mail_server.start()
    worker = build_worker(
        FromTheEnd(
            database_url=settings.database_url,
            kafka_bootstrap_servers=kafka_bootstrap_servers,
            # Tansu admits a group member after about half the session timeout.
            kafka_session_timeout_ms=1000,
            kafka_heartbeat_interval_ms=300,
            smtp_port=mail_server.port,
            smtp_timeout_seconds=2,
            # Retried in place for about two seconds.
            retry_max_attempts=12,
            retry_backoff_seconds=0.05,
            retry_backoff_max_seconds=0.25,
        ),
        group=group,
    )
    tasks = [asyncio.create_task(make()) for make in worker.tasks]
    try:
        await consuming_both_topics(kafka_bootstrap_servers, group)

        # A shipment overtakes its order's confirmation: retried until the address is known.
        order_id = new_order_id()
        early = shipped(order_id)
        await publish(kafka_bootstrap_servers, early)
        await eventually(lambda: retried(caplog, early.id), timeout=30)
        confirmation = confirmed(order_id)
        await publish(kafka_bootstrap_servers, confirmation)
        await eventually(lambda: handled(db, early.id, group), timeout=30)
        assert subjects(mail_server, order_id) == [
            f"Your order {order_id} is confirmed",
            f"Your order {order_id} is being packed",
        ]
        assert (await state(db, order_id))["announced"] == [confirmation.id, early.id]

        # The mail server goes down: the attempt is FAILED and retried until it is back.
        mail_server.stop()
        order_id = new_order_id()
        event = confirmed(order_id)
        await publish(kafka_bootstrap_servers, event)
        failed = {"notifications": [("ORDER_CONFIRMED", event.id, "FAILED")], "announced": []}
        await eventually(lambda: is_state(db, order_id, failed), timeout=30)
        mail_server.start()
        await eventually(lambda: handled(db, event.id, group), timeout=30)
        # A redelivery of the record, then the fact republished under a new event id.
        republished = confirmed(order_id)
        await publish(kafka_bootstrap_servers, event, republished)
        await eventually(lambda: handled(db, republished.id, group), timeout=30)
        assert subjects(mail_server, order_id) == [f"Your order {order_id} is confirmed"]
        assert await state(db, order_id) == {
            "notifications": [("ORDER_CONFIRMED", event.id, "SENT")],
            "announced": [event.id],
        }
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        assert worker.close is not None
        await worker.close()


async def consuming_both_topics(bootstrap: str, group: str) -> None:
    """Return once both topics' consumers have joined the group and read a record each (events
    nobody here handles), so no rebalance is still to come when the scenario starts. A group
    that starts at the end misses what was published before it joined: publish until read."""

    def skipped(event_type: str) -> float:
        labels = {"group": group, "type": event_type, "outcome": "skipped"}
        return REGISTRY.get_sample_value("shop_consumer_events_total", labels) or 0

    async def warmed_up() -> bool:
        # The v1 record is read as v2 (shop_contracts.upcasting), so it is skipped as v2.
        if skipped(OrderCancelled.event_type) and skipped(ShipmentDispatchedV2.event_type):
            return True
        order_id = new_order_id()
        await publish(
            bootstrap,
            CloudEvent.create(OrderCancelled(order_id=order_id, reason="warm-up")),
            CloudEvent.create(ShipmentDispatched(order_id=order_id, shipment_id="shp_0")),
        )
        return False

    await eventually(warmed_up, timeout=60, interval=1.0)


class FromTheEnd(CommunicationsSettings):
    """The service's settings, with a new consumer group starting at the end of its topics."""

    @property
    def kafka_consumer_options(self) -> dict[str, Any]:
        return {**super().kafka_consumer_options, "auto_offset_reset": "latest"}


def retried(caplog: pytest.LogCaptureFixture, event_id: str) -> bool:
    return any(event_id in r.getMessage() and "retrying" in r.getMessage() for r in caplog.records)


def subjects(mail_server: Any, order_id: str) -> list[str]:
    """The emails about `order_id` (other tests' orders may be mailed to this server too)."""
    return [m["Subject"] for m in mail_server.messages if order_id in m["Subject"]]


async def is_state(db: Database, order_id: str, expected: dict[str, Any]) -> bool:
    return await state(db, order_id) == expected

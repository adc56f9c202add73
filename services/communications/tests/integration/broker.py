"""Test-only helper to put events on the broker, as another service's relay would."""

from __future__ import annotations

from shop_contracts import CloudEvent, Event, to_kafka
from shop_messaging import KafkaPublisher, Record


async def publish(bootstrap: str, *events: CloudEvent[Event]) -> None:
    """As another service's outbox relay would."""
    async with KafkaPublisher(bootstrap, enable_idempotence=False) as publisher:
        await publisher.publish([Record(e.topic, *to_kafka(e)) for e in events])

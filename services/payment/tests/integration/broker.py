"""Test-only helpers to put events on the broker and read them back (all partitions)."""

from __future__ import annotations

from aiokafka import AIOKafkaConsumer, TopicPartition
from shop_contracts import CloudEvent, Event, from_kafka, to_kafka
from shop_messaging import KafkaPublisher, Record


async def publish(bootstrap: str, *events: CloudEvent[Event]) -> None:
    """As another service's outbox relay would."""
    async with KafkaPublisher(bootstrap, enable_idempotence=False) as publisher:
        await publisher.publish([Record(e.topic, *to_kafka(e)) for e in events])


async def events_about(bootstrap: str, topic: str, order_id: str) -> list[CloudEvent[Event]]:
    """Every event on `topic` keyed by `order_id`, from the beginning (one pass, no waiting)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        await consumer.topics()  # a metadata round trip, so the topic's partitions are known
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        if not partitions:
            return []
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        found: list[CloudEvent[Event]] = []
        while [tp for tp in partitions if await consumer.position(tp) < ends[tp]]:
            for records in (await consumer.getmany(timeout_ms=200)).values():
                found += [
                    from_kafka(r.key, r.value, r.headers)
                    for r in records
                    if r.key == order_id.encode()
                ]
        return found
    finally:
        await consumer.stop()

"""Test-only helpers for reading and writing topics directly (all partitions)."""

from __future__ import annotations

import time
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition


async def end_offsets(bootstrap: str, topic: str) -> dict[TopicPartition, int]:
    """The end of every partition of `topic` (auto-creating the topic if need be)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        partitions = await producer.partitions_for(topic)
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await consumer.start()
    try:
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        return {tp: int(offset) for tp, offset in (await consumer.end_offsets(tps)).items()}
    finally:
        await consumer.stop()


async def read(
    bootstrap: str,
    topic: str,
    count: int,
    *,
    start: dict[TopicPartition, int] | None = None,
    timeout: float = 15.0,  # noqa: ASYNC109  (a polling budget)
) -> list[Any]:
    """`count` records written after `start` (default: the beginning), per partition in order."""
    start = start if start is not None else {tp: 0 for tp in await end_offsets(bootstrap, topic)}
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign(list(start))
        for tp, offset in start.items():
            consumer.seek(tp, offset)
        records: list[Any] = []
        deadline = time.monotonic() + timeout
        while len(records) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{topic}: got {len(records)} of {count} records")
            for batch in (await consumer.getmany(timeout_ms=200)).values():
                records.extend(batch)
        return records
    finally:
        await consumer.stop()


async def produce(
    bootstrap: str, topic: str, *records: tuple[bytes | None, bytes, list[tuple[str, bytes]]]
) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for key, value, headers in records:
            await producer.send_and_wait(topic, value, key=key, headers=headers)
    finally:
        await producer.stop()

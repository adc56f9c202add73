"""Test-only helpers for reading and writing topics directly."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition


async def end_offset(bootstrap: str, topic: str) -> int:
    """The end of partition 0 of `topic` (creating the topic if need be)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        await producer.partitions_for(topic)
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await consumer.start()
    try:
        tp = TopicPartition(topic, 0)
        return int((await consumer.end_offsets([tp]))[tp])
    finally:
        await consumer.stop()


async def read(bootstrap: str, topic: str, count: int, *, start: int = 0, timeout: float = 15.0) -> list[Any]:
    """`count` records of partition 0 from offset `start`, waiting for them to arrive."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        tp = TopicPartition(topic, 0)
        consumer.assign([tp])
        consumer.seek(tp, start)
        records: list[Any] = []
        deadline = time.monotonic() + timeout
        while len(records) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{topic}: got {len(records)} of {count} records")
            batch = await consumer.getmany(tp, timeout_ms=200)
            records.extend(batch.get(tp, []))
        return records[:count]
    finally:
        await consumer.stop()


async def produce(bootstrap: str, topic: str, *records: tuple[bytes | None, bytes, list[tuple[str, bytes]]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for key, value, headers in records:
            await producer.send_and_wait(topic, value, key=key, headers=headers)
    finally:
        await producer.stop()


async def no_more_than(bootstrap: str, topic: str, count: int) -> None:
    """Assert the topic holds `count` records and, after the pending ones settle, no more."""
    await asyncio.sleep(0)  # placeholder for symmetry; callers wait on conditions first
    assert await end_offset(bootstrap, topic) == count

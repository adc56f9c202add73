"""A raw aiokafka producer on the shop's broker: the ceiling the outbox relay is held to
(P6), and the broker's own produce-to-consume latency (P5's baseline).

    rate = await raw_producer_rate("127.0.0.1:9092", count=5000)
    lags = await raw_round_trips("127.0.0.1:9092", per_second=50, count=200)

Records of about the size of an OrderConfirmed, with acks="all" as the shop's publisher,
to a topic of its own (`bench.raw`, created here) so no consumer of the shop sees them.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

TOPIC = "bench.raw"
PAYLOAD = b"x" * 900
MAX_RECORDS = 50_000


async def ensure_topic(bootstrap: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(TOPIC, num_partitions=3, replication_factor=1)])
    except TopicAlreadyExistsError:
        pass
    finally:
        await admin.close()


async def raw_producer_rate(bootstrap: str, count: int) -> float:
    """Records per second: `count` sends in flight together, timed to the last ack."""
    await ensure_topic(bootstrap)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=False)
    await producer.start()
    try:
        await producer.send_and_wait(TOPIC, PAYLOAD, key=b"warm-up")
        started = time.perf_counter()
        sends = [
            await producer.send(TOPIC, PAYLOAD, key=str(n).encode())
            for n in range(min(count, MAX_RECORDS))
        ]
        await asyncio.gather(*sends)
        return len(sends) / (time.perf_counter() - started)
    finally:
        await producer.stop()


async def raw_round_trips(bootstrap: str, per_second: float, count: int) -> list[float]:
    """Seconds from send to receipt for `count` records sent at `per_second`."""
    await ensure_topic(bootstrap)
    run = uuid.uuid4().hex.encode()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=False)
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await producer.start()
    await consumer.start()
    try:
        partitions = [TopicPartition(TOPIC, p) for p in range(3)]
        consumer.assign(partitions)
        for tp, offset in (await consumer.end_offsets(partitions)).items():
            consumer.seek(tp, offset)
        sent: dict[bytes, float] = {}
        seen: list[float] = []
        wanted = min(count, MAX_RECORDS)

        async def collect() -> None:
            while len(seen) < wanted:
                for records in (await consumer.getmany(timeout_ms=100)).values():
                    now = time.perf_counter()
                    for record in records:
                        key = record.key or b""
                        if key.startswith(run) and key in sent:
                            seen.append(now - sent[key])

        collector = asyncio.create_task(collect())
        started = time.perf_counter()
        for n in range(wanted):
            await asyncio.sleep(max(0.0, started + n / per_second - time.perf_counter()))
            key = run + b"-" + str(n).encode()
            sent[key] = time.perf_counter()
            await producer.send(TOPIC, PAYLOAD, key=key)
        with contextlib.suppress(TimeoutError):  # what did not arrive in 30 s is not counted
            await asyncio.wait_for(collector, timeout=30)
        return seen
    finally:
        await producer.stop()
        await consumer.stop()

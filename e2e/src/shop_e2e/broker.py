"""The broker, seen from outside: produce a raw record, read what a topic holds.

    await produce_raw(bootstrap, "checkout.orders", b"\\xff not json", key=b"e2e-poison-1")
    records = await read_topic(bootstrap, "fulfillment.dlq")

Plain Kafka clients with no service code: what an operator's tools could do. Producers
run with idempotence off (the embedded broker rejects InitProducerId; harmless on Kafka).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from shop_testing.eventually import eventually


@dataclass(frozen=True)
class Seen:
    """One record as read back from a topic."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: dict[str, bytes]


async def partitions(bootstrap: str, topic: str) -> list[int]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        await consumer.topics()
        return sorted(consumer.partitions_for_topic(topic) or ())
    finally:
        await consumer.stop()


async def produce_raw(
    bootstrap: str,
    topic: str,
    value: bytes,
    *,
    key: bytes,
    partition: int | None = None,
    headers: Sequence[tuple[str, bytes]] = (),
) -> None:
    """Send one record exactly as given: no envelope, no schema, no outbox."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        await producer.send_and_wait(
            topic, value, key=key, partition=partition, headers=list(headers)
        )
    finally:
        await producer.stop()


async def read_topic(
    bootstrap: str, topic: str, *, fetch_ms: int = 1500, upto_end: bool = False
) -> list[Seen]:
    """Every record `topic` holds now, from the start of each partition (no group).

    By default it reads until a fetch brings nothing new, which never happens while the
    topic is being written to: `upto_end` stops at the log ends as they were when the read
    began instead (on the embedded broker, whose end offsets can lag, that may be fewer).
    """
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        await consumer.topics()
        assigned = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        if not assigned:
            return []
        consumer.assign(assigned)
        ends = await consumer.end_offsets(assigned) if upto_end else None
        await consumer.seek_to_beginning(*assigned)
        seen: list[Seen] = []
        # Fetch until a fetch brings nothing new: end offsets are not trusted on the
        # embedded broker (they were seen to lag the log).
        while True:
            batch = await consumer.getmany(*assigned, timeout_ms=fetch_ms)
            records = [record for part in batch.values() for record in part]
            if not records:
                return seen
            seen.extend(
                Seen(
                    topic=r.topic,
                    partition=r.partition,
                    offset=r.offset,
                    key=r.key,
                    value=r.value,
                    headers={k: bytes(v) for k, v in r.headers},
                )
                for r in records
            )
            if ends is not None and all(
                [await consumer.position(tp) >= ends[tp] for tp in assigned]
            ):
                return seen
    finally:
        await consumer.stop()


async def skip_unread(bootstrap: str, group: str) -> int:
    """Commit the log end of every topic for `group`, so its consumers never read what is
    there now: an event lost to that group, as a broker without storage loses it on a
    restart. The group must have no running member. Returns how many records it skips on
    the partitions the group had committed on.

    The commit is made as the group's one member (it joins, is given every partition,
    commits, leaves): a commit from outside the group is refused while the broker still
    counts a member that was stopped a moment ago, which Tansu does for as long as nobody
    joins.
    """
    ends: dict[TopicPartition, int] = {}
    skipped = 0
    peek = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    await peek.start()
    try:
        for topic in sorted(await peek.topics()):
            if topic.startswith("__"):
                continue
            for record in await read_topic(bootstrap, topic):
                tp = TopicPartition(topic, record.partition)
                ends[tp] = max(ends.get(tp, 0), record.offset + 1)
        if not ends:
            return 0
        peek.assign(list(ends))  # reads the group's offsets without joining it
        for tp, end in ends.items():
            committed = await peek.committed(tp)
            if committed is not None:  # a partition the group reads
                skipped += end - committed
    finally:
        await peek.stop()
    member = AIOKafkaConsumer(
        *sorted({tp.topic for tp in ends}),
        bootstrap_servers=bootstrap,
        group_id=group,
        enable_auto_commit=False,
        session_timeout_ms=6000,
        heartbeat_interval_ms=500,
    )
    await member.start()
    try:
        await eventually(lambda: set(ends) <= member.assignment(), timeout=60, interval=0.2)
        await member.commit(ends)
    finally:
        await member.stop()
    return skipped

"""Replaying a consumer group's dead letters onto the topics they came from."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from shop_contracts import topics

from ._publisher import KafkaPublisher, Publisher, Record

log = logging.getLogger(__name__)

REPLAY_COUNT_HEADER = "replay_count"


async def replay_dlq(
    group: str,
    bootstrap_servers: str,
    *,
    publisher: Publisher | None = None,
    enable_idempotence: bool = False,
    limit: int | None = None,
    consumer_options: Mapping[str, Any] | None = None,
) -> int:
    """Republish `<group>.dlq` to each record's original topic; return how many.

        replayed = await replay_dlq("fulfillment", "127.0.0.1:9092")

    Reads what is in the DLQ when called (not what arrives later), strips the `dlq_*`
    headers, increments `replay_count`, and commits its progress as consumer group
    `<group>.dlq-replay` after each record, so a second call never replays a record twice.
    """
    if publisher is None:
        async with KafkaPublisher(
            bootstrap_servers, enable_idempotence=enable_idempotence
        ) as own_publisher:
            return await _replay(group, bootstrap_servers, own_publisher, limit, consumer_options)
    return await _replay(group, bootstrap_servers, publisher, limit, consumer_options)


async def _replay(
    group: str,
    bootstrap_servers: str,
    publisher: Publisher,
    limit: int | None,
    consumer_options: Mapping[str, Any] | None,
) -> int:
    dlq = topics.dlq(group)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers,
        group_id=f"{dlq}-replay",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        **dict(consumer_options or {}),
    )
    await consumer.start()
    try:
        await consumer.topics()  # refresh metadata without auto-creating the DLQ topic
        partitions = consumer.partitions_for_topic(dlq) or set()
        assigned = [TopicPartition(dlq, p) for p in sorted(partitions)]
        if not assigned:
            return 0
        # Manual assignment: no group join (and its delay); offsets are still committed
        # under the group id.
        consumer.assign(assigned)
        ends = await consumer.end_offsets(assigned)
        replayed = 0
        for tp in assigned:
            while (limit is None or replayed < limit) and await consumer.position(tp) < ends[tp]:
                batch = await consumer.getmany(tp, timeout_ms=1000)
                for record in batch.get(tp, []):
                    if record.offset >= ends[tp] or (limit is not None and replayed >= limit):
                        break
                    if await _republish(publisher, record):
                        replayed += 1
                    await consumer.commit({tp: record.offset + 1})
                    consumer.seek(tp, record.offset + 1)
        return replayed
    finally:
        await consumer.stop()


async def _republish(publisher: Publisher, record: Any) -> bool:
    back = sent_back(record)
    if back is None:
        log.warning("DLQ record %d has no dlq_original_topic; skipped", record.offset)
        return False
    await publisher.publish([back])
    return True


def replay_count(record: Any) -> int:
    """How many times this record was sent back from a DLQ already."""
    return int(dict(record.headers).get(REPLAY_COUNT_HEADER, b"0") or 0)


def sent_back(record: Any) -> Record | None:
    """The dead letter as it goes back to its original topic: `dlq_*` headers stripped,
    `replay_count` incremented; None when it does not say where it came from."""
    headers: list[tuple[str, bytes]] = list(record.headers)
    original = dict(headers).get("dlq_original_topic")
    if original is None:
        return None
    kept = [(k, v) for k, v in headers if not k.startswith("dlq_") and k != REPLAY_COUNT_HEADER]
    kept.append((REPLAY_COUNT_HEADER, str(replay_count(record) + 1).encode()))
    return Record(original.decode(), record.key, record.value or b"", kept)

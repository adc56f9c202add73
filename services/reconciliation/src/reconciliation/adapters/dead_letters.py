"""Dead letters as the operator sees them: each consumer group's `<group>.dlq`, read
without joining any group (so reading never moves anybody's offsets), and sent back.

    letters = KafkaDeadLetters("127.0.0.1:9092")
    shelf = await letters.peek("fulfillment", limit=50)
    sent = await letters.replay("fulfillment")       # shop_messaging.replay_dlq
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from shop_contracts import topics
from shop_messaging import replay_dlq

from reconciliation.domain.operations import DeadLetter, DeadLetterShelf

PREVIEW_BYTES = 600


class KafkaDeadLetters:
    def __init__(
        self,
        bootstrap_servers: str,
        *,
        enable_idempotence: bool = False,
        consumer_options: Mapping[str, Any] | None = None,
        timeout_s: float = 10.0,
    ) -> None:
        self._bootstrap = bootstrap_servers
        self._idempotence = enable_idempotence
        self._options = dict(consumer_options or {})
        self._timeout = timeout_s

    async def peek(self, group: str, *, limit: int) -> DeadLetterShelf:
        """The newest `limit` dead letters of the group's DLQ (per partition), and its size."""
        return await asyncio.wait_for(self._peek(group, limit), self._timeout)

    async def replay(self, group: str) -> int:
        return await asyncio.wait_for(
            replay_dlq(
                group,
                self._bootstrap,
                enable_idempotence=self._idempotence,
                consumer_options=self._options,
            ),
            self._timeout * 3,
        )

    async def _peek(self, group: str, limit: int) -> DeadLetterShelf:
        dlq = topics.dlq(group)
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self._bootstrap, enable_auto_commit=False, **self._options
        )
        await consumer.start()
        try:
            await consumer.topics()  # metadata only: never auto-creates the DLQ
            partitions = sorted(consumer.partitions_for_topic(dlq) or ())
            assigned = [TopicPartition(dlq, p) for p in partitions]
            if not assigned:
                return DeadLetterShelf(group, dlq, 0, [])
            consumer.assign(assigned)
            starts = await consumer.beginning_offsets(assigned)
            ends = await consumer.end_offsets(assigned)
            letters: list[DeadLetter] = []
            for tp in assigned:
                first = max(starts[tp], ends[tp] - limit)
                if first >= ends[tp]:
                    continue
                consumer.seek(tp, first)
                while await consumer.position(tp) < ends[tp]:
                    batch = await consumer.getmany(tp, timeout_ms=1000)
                    for record in batch.get(tp, []):
                        if record.offset < ends[tp]:
                            letters.append(_letter(record))
            total = sum(ends[tp] - starts[tp] for tp in assigned)
            letters.sort(key=lambda letter: letter.at, reverse=True)
            return DeadLetterShelf(group, dlq, total, letters[:limit])
        finally:
            await consumer.stop()


def _letter(record: Any) -> DeadLetter:
    headers = {k: v.decode("utf-8", "replace") for k, v in record.headers}
    value: bytes = record.value or b""
    return DeadLetter(
        partition=record.partition,
        offset=record.offset,
        key=(record.key or b"").decode("utf-8", "replace"),
        at=datetime.fromtimestamp(record.timestamp / 1000, tz=UTC),
        headers={k: v for k, v in headers.items() if k.startswith(("dlq_", "replay_", "ce_"))},
        preview=value[:PREVIEW_BYTES].decode("utf-8", "replace"),
    )

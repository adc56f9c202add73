"""Automatic DLQ redrive: dead letters go back to their topic once their cause may be gone.

A record is dead-lettered when a handler refused it or kept failing for a reason nobody
classified (most likely a bug). Either may be fixed by a deploy or by data arriving
later, so the redrive sends each dead letter back after a delay that doubles with every
redrive (`replay_count` header): 1 x `delay`, 2 x, 4 x, ... A record redriven
`max_redrives` times, or that cannot be decoded at all (poison), stays parked: it is
counted in `shop_consumer_dlq_parked` and logged, and `replay-dlq` still sends it back by
hand. Progress is committed as group `<group>.dlq-redrive`, apart from the manual
`<group>.dlq-replay`, so the two never hide records from each other.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Mapping
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from shop_contracts import topics

from ._dispatch import DLQ_REASON_HEADER
from ._metrics import DLQ_DEPTH, DLQ_PARKED, DLQ_REDRIVEN
from ._publisher import Publisher
from ._replay import replay_count, sent_back

log = logging.getLogger(__name__)


class DlqRedrive:
    """Sends `<group>.dlq` back to the original topics, every `interval` seconds.

    redrive = DlqRedrive("fulfillment", "127.0.0.1:9092", publisher)
    task = asyncio.create_task(redrive.run())
    ...
    await redrive.redrive_once()   # tests: one pass, returns how many went back
    """

    def __init__(
        self,
        group: str,
        bootstrap_servers: str,
        publisher: Publisher,
        *,
        interval: float = 60.0,
        delay: float = 30.0,
        max_redrives: int = 5,
        consumer_options: Mapping[str, Any] | None = None,
    ) -> None:
        self.group = group
        self.dlq_topic = topics.dlq(group)
        self._bootstrap_servers = bootstrap_servers
        self._publisher = publisher
        self._interval = interval
        self._delay = delay
        self._max_redrives = max_redrives
        self._consumer_options = dict(consumer_options or {})

    async def run(self) -> None:
        while True:
            try:
                await self.redrive_once()
            except Exception:
                log.warning("DLQ redrive of %s failed; next pass in %.0fs",
                            self.dlq_topic, self._interval, exc_info=True)  # fmt: skip
            await asyncio.sleep(self._interval)

    async def redrive_once(self) -> int:
        """Send back every dead letter that is due; return how many were sent back."""
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self._bootstrap_servers,
            group_id=f"{self.dlq_topic}-redrive",
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            **self._consumer_options,
        )
        await consumer.start()
        try:
            await consumer.topics()  # refresh metadata without auto-creating the DLQ topic
            partitions = consumer.partitions_for_topic(self.dlq_topic) or set()
            assigned = [TopicPartition(self.dlq_topic, p) for p in sorted(partitions)]
            if not assigned:
                DLQ_DEPTH.labels(self.group, self.dlq_topic).set(0)
                return 0
            consumer.assign(assigned)
            ends = await consumer.end_offsets(assigned)
            sent = 0
            depth = 0
            for tp in assigned:
                sent += await self._partition(consumer, tp, ends[tp])
                depth += max(0, ends[tp] - await consumer.position(tp))
            DLQ_DEPTH.labels(self.group, self.dlq_topic).set(depth)
            return sent
        finally:
            with contextlib.suppress(Exception):
                await consumer.stop()

    async def _partition(self, consumer: AIOKafkaConsumer, tp: TopicPartition, end: int) -> int:
        """Walk one partition up to `end`, stopping at the first record not due yet (the
        ones behind it are younger or were redriven as often)."""
        sent = 0
        while await consumer.position(tp) < end:
            batch = await consumer.getmany(tp, timeout_ms=1000)
            for record in batch.get(tp, []):
                if record.offset >= end:
                    return sent
                count = replay_count(record)
                reason = dict(record.headers).get(DLQ_REASON_HEADER, b"").decode()
                back = sent_back(record)
                if back is None or reason == "poison" or count >= self._max_redrives:
                    DLQ_PARKED.labels(self.group).inc()
                    log.error("dead letter %s@%d stays parked (%s, redriven %d times)",
                              tp, record.offset, reason or "no origin", count)  # fmt: skip
                elif time.time() - record.timestamp / 1000 < self._delay * 2**count:
                    consumer.seek(tp, record.offset)
                    return sent
                else:
                    await self._publisher.publish([back])
                    DLQ_REDRIVEN.labels(self.group).inc()
                    sent += 1
                await consumer.commit({tp: record.offset + 1})
        return sent

"""Waiting for orders to complete, and the event lag between OrderConfirmed and
CustomerNotified read from the broker.

    done = await wait_completed(client, checkout_url, order_ids, within=60)
    async with LagWatch(bootstrap) as watch: ...; watch.lags(since=t0)
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from types import TracebackType

import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition
from shop_contracts import CustomerNotified, OrderConfirmedV2, from_kafka, topics

POLL_SECONDS = 0.5


async def wait_completed(
    client: httpx.AsyncClient,
    checkout: str,
    order_ids: Sequence[str],
    within: float,
    concurrency: int = 8,
) -> dict[str, str]:
    """Each order's last seen status, polled until all are COMPLETED or `within` s pass."""
    seen = {order_id: "unknown" for order_id in order_ids}
    gate = asyncio.Semaphore(concurrency)
    deadline = time.monotonic() + within

    async def look(order_id: str) -> None:
        async with gate:
            try:
                response = await client.get(f"{checkout}/v1/orders/{order_id}")
                if response.status_code == 200:
                    seen[order_id] = str(response.json()["status"])
            except httpx.HTTPError:
                pass

    while time.monotonic() < deadline:
        pending = [o for o, s in seen.items() if s != "COMPLETED"]
        if not pending:
            break
        await asyncio.gather(*(look(o) for o in pending))
        await asyncio.sleep(POLL_SECONDS)
    return seen


class LagWatch:
    """Reads checkout.orders and communications' topic from their current ends; pairs
    each OrderConfirmed (its commit time) with the CustomerNotified about it."""

    def __init__(self, bootstrap: str) -> None:
        self._consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
        self._confirmed: dict[str, float] = {}
        self._notified: dict[str, float] = {}
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> LagWatch:
        await self._consumer.start()
        await self._consumer.topics()
        partitions = [
            TopicPartition(topic, p)
            for topic in (topics.ORDERS, topics.NOTIFICATIONS)
            for p in sorted(self._consumer.partitions_for_topic(topic) or set())
        ]
        self._consumer.assign(partitions)
        for tp, offset in (await self._consumer.end_offsets(partitions)).items():
            self._consumer.seek(tp, offset)
        self._task = asyncio.create_task(self._collect())
        return self

    async def _collect(self) -> None:
        while True:
            for records in (await self._consumer.getmany(timeout_ms=100)).values():
                for record in records:
                    event = from_kafka(record.key, record.value, list(record.headers))
                    if isinstance(event.data, OrderConfirmedV2):
                        self._confirmed[event.id] = event.time.timestamp()
                    elif (
                        isinstance(event.data, CustomerNotified)
                        and event.data.kind == "ORDER_CONFIRMED"
                    ):
                        self._notified.setdefault(
                            event.data.about_event_id, record.timestamp / 1000
                        )

    async def settle(self, expected: int, within: float) -> None:
        """Wait until `expected` confirmed orders were notified, or `within` s."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline and len(self._paired()) < expected:  # noqa: ASYNC110
            await asyncio.sleep(0.2)  # the pairs fill in from the consumer task

    def _paired(self) -> list[str]:
        return [c for c in self._confirmed if c in self._notified]

    def lags(self) -> list[float]:
        """Seconds from OrderConfirmed committed to CustomerNotified published."""
        return [self._notified[c] - self._confirmed[c] for c in self._paired()]

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        await self._consumer.stop()

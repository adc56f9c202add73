"""The collaboration half of a service's `work` process: outbox relay and consumers.

    messaging = MessagingWorker(
        "fulfillment", db.engine, db.sessions,
        bootstrap_servers=settings.kafka_bootstrap_servers,
        enable_idempotence=settings.kafka_enable_idempotence,
    )
    Worker(tasks=[messaging.relay(),
                  messaging.consumer("fulfillment", {OrderConfirmed: allocate_order}),
                  messaging.retention(Retention(outbox=timedelta(days=7)))],
           ..., close=messaging.close)

A consumer's topics follow from its subscription table (where each event type is
published), so adding an event to the table is the whole subscription change.

One producer serves the relay and every consumer's dead letters. Each task survives a
broker that is down when the process starts, or goes away later: it retries with capped
backoff instead of dying, so `work` processes need no start order relative to Kafka.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Coroutine, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar

from shop_contracts import Event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from ._consumer import ConsumerRunner
from ._dispatch import Handler
from ._publisher import KafkaPublisher
from ._redrive import DlqRedrive
from ._relay import OutboxRelay
from ._retention import Retention, purge

log = logging.getLogger(__name__)

TaskFactory = Callable[[], Coroutine[Any, Any, None]]
T = TypeVar("T")


Subscriptions = Mapping[type[Event], Handler]
"""A subscription table: each event type a consumer handles, and its handler."""


def topics_of(subscriptions: Subscriptions) -> list[str]:
    """The topics a subscription table needs: where each of its event types is published."""
    return sorted({event_type.topic for event_type in subscriptions})


class MessagingWorker:
    def __init__(
        self,
        service: str,
        engine: AsyncEngine,
        sessions: async_sessionmaker[AsyncSession],
        *,
        bootstrap_servers: str,
        enable_idempotence: bool,
        consumer_options: Mapping[str, Any] | None = None,
        max_backoff: float = 10.0,
    ) -> None:
        self.service = service
        self._engine = engine
        self._sessions = sessions
        self._bootstrap_servers = bootstrap_servers
        self._enable_idempotence = enable_idempotence
        self._consumer_options = dict(consumer_options or {})
        self._max_backoff = max_backoff
        self._publisher: KafkaPublisher | None = None
        self._publisher_lock = asyncio.Lock()

    async def publisher(self) -> KafkaPublisher:
        """The shared producer, connected on first use (retrying until the broker answers)."""
        async with self._publisher_lock:
            if self._publisher is None:
                self._publisher = await self._retry("connect the producer", self._start_publisher)
            return self._publisher

    async def _start_publisher(self) -> KafkaPublisher:
        publisher = KafkaPublisher(
            self._bootstrap_servers,
            enable_idempotence=self._enable_idempotence,
            client_id=f"{self.service}-worker",
        )
        try:
            await publisher.start()
        except BaseException:
            await publisher.stop()
            raise
        return publisher

    def relay(self, **relay_options: Any) -> TaskFactory:
        """A task that publishes this service's outbox until cancelled."""

        async def outbox_relay() -> None:
            relay = OutboxRelay(self._engine, await self.publisher(), **relay_options)
            await relay.run()  # retries broker and database failures itself

        return outbox_relay

    def retention(self, retention: Retention, *, every: float = 3600.0) -> TaskFactory:
        """A task that purges the outbox and inbox rows `retention` no longer keeps, every
        `every` s (the first purge right away). A failed purge is tried again next time."""

        async def purge_expired_messages() -> None:
            while True:
                try:
                    purged = await purge(self._sessions, retention, now=datetime.now(UTC))
                    if purged.outbox or purged.inbox:
                        log.info("purged %d outbox and %d inbox rows past their retention",
                                 purged.outbox, purged.inbox)  # fmt: skip
                except Exception:
                    log.warning("could not purge expired messaging rows", exc_info=True)
                await asyncio.sleep(every * random.uniform(0.9, 1.1))

        return purge_expired_messages

    def consumer(
        self,
        group_id: str,
        subscriptions: Subscriptions,
        *,
        redrive_options: Mapping[str, Any] | None = None,
        **runner_options: Any,
    ) -> TaskFactory:
        """A task that consumes the table's topics as `group_id`, restarting the runner if
        it fails, and redrives the group's DLQ (`DlqRedrive`, with `redrive_options`).
        Events on those topics that the table does not name are skipped."""
        topics = topics_of(subscriptions)

        async def consume() -> None:
            publisher = await self.publisher()
            options = {"consumer_options": self._consumer_options, **runner_options}

            async def run_once() -> None:
                # A fresh runner per attempt: a failed start leaves aiokafka's consumer unusable.
                runner = ConsumerRunner(
                    group_id,
                    topics,
                    subscriptions,
                    self._sessions,
                    bootstrap_servers=self._bootstrap_servers,
                    publisher=publisher,
                    **options,
                )
                await runner.run()

            redriver = DlqRedrive(
                group_id, self._bootstrap_servers, publisher, **dict(redrive_options or {})
            )
            await asyncio.gather(self._retry(f"consume as {group_id}", run_once), redriver.run())

        consume.__name__ = f"consume_{group_id}"
        return consume

    async def close(self) -> None:
        if self._publisher is not None:
            await self._publisher.stop()
            self._publisher = None

    async def _retry(self, what: str, attempt: Callable[[], Coroutine[Any, Any, T]]) -> T:
        delay = 0.5
        while True:
            try:
                return await attempt()
            except Exception as exc:
                log.warning("could not %s (%r); retrying in %.1fs", what, exc, delay)
                await asyncio.sleep(delay * random.uniform(0.8, 1.2))
                delay = min(delay * 2, self._max_backoff)

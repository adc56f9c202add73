"""The consumer runner: Kafka records in, handlers run exactly once per event (per group).

For each record, in partition order: decode; claim the event id in the inbox and run the
handler in one database transaction; commit; only then commit the Kafka offset. A crash
anywhere replays the record, and the inbox turns the replay into a no-op.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.errors import CommitFailedError, IllegalStateError
from opentelemetry import propagate, trace
from shop_contracts import CloudEvent, Event, PoisonEvent, UnknownEventType, from_kafka, topics
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ._context import correlated
from ._inbox import claim
from ._metrics import EVENTS_CONSUMED, HANDLER_RETRIES
from ._publisher import Publisher, Record, ensure_topics

log = logging.getLogger(__name__)
_tracer = trace.get_tracer("shop_messaging")

Handler = Callable[[AsyncSession, CloudEvent[Any]], Awaitable[None]]
"""`async def handle_order_confirmed(session, event) -> None`; never commits itself."""


class ConsumerRunner:
    """Consumes topics as one consumer group and dispatches events to handlers.

        runner = ConsumerRunner(
            "fulfillment",
            [topics.ORDERS, topics.STOCK],
            {OrderConfirmed: allocate_order, StockReplenished.event_type: retry_backorders},
            session_factory,
            bootstrap_servers="127.0.0.1:9092",
            publisher=publisher,          # for dead letters
        )
        task = asyncio.create_task(runner.run())
        ...
        runner.stop(); await task

    Events of types with no handler (or unknown to this version) are skipped. Poison
    records go straight to `<group>.dlq`; a handler that keeps failing is retried
    `max_attempts` times with exponential backoff and jitter, then dead-lettered. Either
    way the runner moves on to the next record.
    """

    def __init__(
        self,
        group_id: str,
        topics: Sequence[str],
        handlers: Mapping[str, Handler] | Mapping[type[Event], Handler],
        session_factory: async_sessionmaker[AsyncSession],
        *,
        bootstrap_servers: str,
        publisher: Publisher,
        max_attempts: int = 5,
        backoff_base: float = 0.2,
        backoff_max: float = 10.0,
        create_dlq_topic: bool = True,
        consumer_options: Mapping[str, Any] | None = None,
    ) -> None:
        self.group_id = group_id
        self.dlq_topic = _dlq_topic(group_id)
        self._topics = list(topics)
        self._handlers = {
            key if isinstance(key, str) else key.event_type: handler
            for key, handler in handlers.items()
        }
        self._session_factory = session_factory
        self._bootstrap_servers = bootstrap_servers
        self._publisher = publisher
        self._max_attempts = max_attempts
        self._backoff_base = backoff_base
        self._backoff_max = backoff_max
        self._create_dlq_topic = create_dlq_topic
        self._consumer_options = dict(consumer_options or {})
        self._consumer: AIOKafkaConsumer | None = None
        self._stopping = False
        self.assigned = asyncio.Event()
        """Set once the group has given this runner its partitions (useful in tests)."""

    async def run(self) -> None:
        """Consume until `stop()` is called or the task is cancelled."""
        self._stopping = False
        if self._create_dlq_topic:
            try:
                await ensure_topics(self._bootstrap_servers, [self.dlq_topic])
            except Exception:
                log.warning("could not create %s; relying on auto-create", self.dlq_topic)
        consumer = AIOKafkaConsumer(
            *self._topics,
            bootstrap_servers=self._bootstrap_servers,
            group_id=self.group_id,
            enable_auto_commit=False,  # offsets are committed after the database commit
            auto_offset_reset="earliest",
            **self._consumer_options,
        )
        await consumer.start()
        self._consumer = consumer
        try:
            while not self._stopping:
                batches = await consumer.getmany(timeout_ms=200)
                if consumer.assignment():
                    self.assigned.set()
                for partition, records in batches.items():
                    for record in records:
                        await self._process(record)
                        try:
                            await consumer.commit({partition: record.offset + 1})
                        except (CommitFailedError, IllegalStateError):
                            # Rebalanced away mid-batch: the new owner re-reads the record
                            # and its inbox makes that a no-op.
                            log.warning("lost %s during a rebalance", partition)
                            break
        finally:
            self._consumer = None
            await consumer.stop()

    def stop(self) -> None:
        """Ask `run()` to return after the current record."""
        self._stopping = True

    async def lag(self) -> dict[TopicPartition, int]:
        """Records not yet committed, per assigned partition (end offset - committed).

        Computed from `committed()` and `end_offsets()` because the admin API's
        `list_consumer_group_offsets` does not work against Tansu.
        """
        consumer = self._consumer
        if consumer is None:
            return {}
        partitions = list(consumer.assignment())
        ends = await consumer.end_offsets(partitions)
        return {tp: ends[tp] - ((await consumer.committed(tp)) or 0) for tp in partitions}

    async def _process(self, record: ConsumerRecord[bytes, bytes]) -> None:
        headers = list(record.headers)
        try:
            event = from_kafka(record.key, record.value, headers)
        except PoisonEvent as exc:
            log.error("poison record %s:%d@%d: %s", *_where(record), exc)
            await self._dead_letter(record, exc, "unknown")
            return
        except UnknownEventType as exc:
            log.info("skipping %s (%s:%d@%d)", exc, *_where(record))
            EVENTS_CONSUMED.labels(self.group_id, exc.event_type, "skipped").inc()
            return
        handler = self._handlers.get(event.type)
        if handler is None:
            EVENTS_CONSUMED.labels(self.group_id, event.type, "skipped").inc()
            return
        with self._span(record, event):
            await self._handle(record, event, handler)

    async def _handle(
        self, record: ConsumerRecord[bytes, bytes], event: CloudEvent[Event], handler: Handler
    ) -> None:
        for attempt in range(1, self._max_attempts + 1):
            try:
                async with self._session_factory() as session, session.begin():
                    if not await claim(session, self.group_id, event.id):
                        EVENTS_CONSUMED.labels(self.group_id, event.type, "duplicate").inc()
                        return
                    await handler(session, event)
                EVENTS_CONSUMED.labels(self.group_id, event.type, "handled").inc()
                # One line per handled event, in the event's correlation chain, so
                # `grep <order id>` in a worker's log shows what it did with the order.
                log.info(
                    "handled %s %s",
                    event.type.rsplit(".", 2)[-2],
                    event.id,
                    extra={
                        "event_type": event.type,
                        "event_id": event.id,
                        "subject": event.subject,
                    },
                )
                return
            except Exception as exc:
                if attempt == self._max_attempts:
                    log.exception("giving up on %s after %d attempts", event.id, attempt)
                    await self._dead_letter(record, exc, event.type)
                    return
                HANDLER_RETRIES.labels(self.group_id).inc()
                delay = self._backoff(attempt)
                log.warning(
                    "handler failed for %s (attempt %d), retrying in %.2fs: %r",
                    event.id,
                    attempt,
                    delay,
                    exc,
                )
                await asyncio.sleep(delay)

    async def _dead_letter(
        self, record: ConsumerRecord[bytes, bytes], error: Exception, event_type: str
    ) -> None:
        headers = [(k, v) for k, v in record.headers if not k.startswith("dlq_")]
        headers += [
            ("dlq_error", f"{type(error).__name__}: {error}"[:2000].encode()),
            ("dlq_original_topic", record.topic.encode()),
            ("dlq_original_partition", str(record.partition).encode()),
            ("dlq_original_offset", str(record.offset).encode()),
            ("dlq_consumer_group", self.group_id.encode()),
        ]
        dead = Record(self.dlq_topic, record.key, record.value or b"", headers)
        attempt = 0
        # Never commit the offset of a record that is neither handled nor dead-lettered:
        # while the broker refuses the dead letter, wait here.
        while True:
            try:
                await self._publisher.publish([dead])
                break
            except Exception:
                attempt += 1
                log.warning("cannot publish to %s; retrying", self.dlq_topic, exc_info=True)
                await asyncio.sleep(self._backoff(attempt))
        EVENTS_CONSUMED.labels(self.group_id, event_type, "dead_lettered").inc()

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self._backoff_max, self._backoff_base * 2 ** (attempt - 1))
        return float(ceiling / 2 + random.uniform(0, ceiling / 2))  # "equal jitter"

    @contextlib.contextmanager
    def _span(
        self, record: ConsumerRecord[bytes, bytes], event: CloudEvent[Event]
    ) -> Iterator[None]:
        carrier = {k: v.decode(errors="replace") for k, v in record.headers if k in _TRACE_HEADERS}
        # The handler's log lines and the events it writes continue this correlation chain.
        with (
            _tracer.start_as_current_span(
                f"{record.topic} process",
                context=propagate.extract(carrier),
                kind=trace.SpanKind.CONSUMER,
                attributes={
                    "messaging.system": "kafka",
                    "messaging.destination.name": record.topic,
                    "messaging.consumer.group.name": self.group_id,
                    "messaging.message.id": event.id,
                    "cloudevents.event_type": event.type,
                    "cloudevents.event_subject": event.subject,
                },
            ),
            correlated(event),
        ):
            yield


_TRACE_HEADERS = frozenset(("traceparent", "tracestate"))


def _dlq_topic(group_id: str) -> str:
    return topics.dlq(group_id)


def _where(record: ConsumerRecord[bytes, bytes]) -> tuple[str, int, int]:
    return record.topic, record.partition, record.offset

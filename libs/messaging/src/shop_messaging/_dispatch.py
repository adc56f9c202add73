"""One record through one attempt: decode, claim in the inbox, run the handler, and say
whether the runner may move past it (handled, skipped, dead-lettered) or must retry it."""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
from collections.abc import Awaitable, Callable, Iterator, Mapping
from typing import Any

from aiokafka import ConsumerRecord
from shop_contracts import CloudEvent, Event, PoisonEvent, UnknownEventType, from_kafka
from shop_contracts.sagas import step_of
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ._context import correlated
from ._failures import Backoff, Failure, classify
from ._inbox import claim
from ._metrics import EVENTS_CONSUMED, HANDLER_FAILURES, HANDLER_RETRIES, SAGA_STEPS
from ._publisher import Publisher, Record
from ._tracing import processing

log = logging.getLogger("shop_messaging._consumer")  # one logger name for the runner's lines

Handler = Callable[[AsyncSession, CloudEvent[Any]], Awaitable[None]]
"""`async def handle_order_confirmed(session, event) -> None`; never commits itself."""

DLQ_REASON_HEADER = "dlq_reason"
"""Why a record was dead-lettered: `poison`, `permanent` or `exhausted` (retries spent)."""


class Outcome(enum.Enum):
    DONE = "done"  # handled, duplicate, skipped or dead-lettered: commit past it
    RETRY = "retry"  # not handled, for a reason nobody classified: fetch it again later
    WAIT = "wait"  # not handled, for a transient reason (an outage): later, at no cost


class Dispatcher:
    def __init__(
        self,
        group_id: str,
        handlers: Mapping[str, Handler] | Mapping[type[Event], Handler],
        session_factory: async_sessionmaker[AsyncSession],
        *,
        publisher: Publisher,
        dlq_topic: str,
        transient: tuple[type[BaseException], ...],
        permanent: tuple[type[BaseException], ...],
        backoff: Backoff,
    ) -> None:
        self._group_id = group_id
        self._handlers = {
            key if isinstance(key, str) else key.event_type: handler
            for key, handler in handlers.items()
        }
        self._session_factory = session_factory
        self._publisher = publisher
        self._dlq_topic = dlq_topic
        self._transient = transient
        self._permanent = permanent
        self._backoff = backoff

    async def process(
        self,
        record: ConsumerRecord[bytes, bytes],
        attempt: int,
        max_attempts: int,
        *,
        spent: int = 0,
    ) -> Outcome:
        """Handle `record` (its `attempt`-th try). `spent` is how many earlier tries failed
        for a reason nobody classified; only those count against `max_attempts`, so an
        outage's transient failures never dead-letter an event that fails for another
        reason right after it."""
        try:
            event = from_kafka(record.key, record.value, list(record.headers))
        except PoisonEvent as exc:
            log.error("poison record %s:%d@%d: %s", *_where(record), exc)
            await self._dead_letter(record, exc, "unknown", "poison")
            return Outcome.DONE
        except UnknownEventType as exc:
            log.info("skipping %s (%s:%d@%d)", exc, *_where(record))
            EVENTS_CONSUMED.labels(self._group_id, exc.event_type, "skipped").inc()
            return Outcome.DONE
        handler = self._handlers.get(event.type)
        if handler is None:
            EVENTS_CONSUMED.labels(self._group_id, event.type, "skipped").inc()
            return Outcome.DONE
        with _span(record, event, self._group_id):
            try:
                await self._handle(event, handler)
                return Outcome.DONE
            except Exception as exc:
                return await self._failed(record, event, exc, attempt, spent, max_attempts)

    async def _handle(self, event: CloudEvent[Event], handler: Handler) -> None:
        async with self._session_factory() as session, session.begin():
            if not await claim(session, self._group_id, event.id):
                EVENTS_CONSUMED.labels(self._group_id, event.type, "duplicate").inc()
                return
            await handler(session, event)
        EVENTS_CONSUMED.labels(self._group_id, event.type, "handled").inc()
        if (step := step_of(handler)) is not None:
            SAGA_STEPS.labels(self._group_id, step.saga.value, step.name).inc()
        # One line per handled event, in the event's correlation chain, so
        # `grep <order id>` in a worker's log shows what it did with the order.
        log.info(
            "handled %s %s",
            event.type.rsplit(".", 2)[-2],
            event.id,
            extra={"event_type": event.type, "event_id": event.id, "subject": event.subject},
        )

    async def _failed(
        self,
        record: ConsumerRecord[bytes, bytes],
        event: CloudEvent[Event],
        error: Exception,
        attempt: int,
        spent: int,
        max_attempts: int,
    ) -> Outcome:
        kind = classify(error, transient=self._transient, permanent=self._permanent)
        HANDLER_FAILURES.labels(self._group_id, kind.value).inc()
        if kind is Failure.PERMANENT:
            log.error("refused %s for good, dead-lettering it: %r", event.id, error)
            await self._dead_letter(record, error, event.type, "permanent")
            return Outcome.DONE
        if kind is Failure.UNKNOWN and spent + 1 >= max_attempts:
            log.exception("giving up on %s after %d attempts", event.id, attempt)
            await self._dead_letter(record, error, event.type, "exhausted")
            return Outcome.DONE
        HANDLER_RETRIES.labels(self._group_id).inc()
        # A long outage retries forever: say so loudly at first, then now and then.
        level = logging.WARNING if attempt <= 3 or attempt % 20 == 0 else logging.DEBUG
        log.log(level, "handler failed for %s (%s, attempt %d); retrying: %r",
                event.id, kind.value, attempt, error)  # fmt: skip
        return Outcome.WAIT if kind is Failure.TRANSIENT else Outcome.RETRY

    async def _dead_letter(
        self,
        record: ConsumerRecord[bytes, bytes],
        error: Exception,
        event_type: str,
        reason: str,
    ) -> None:
        headers = [(k, v) for k, v in record.headers if not k.startswith("dlq_")]
        headers += [
            ("dlq_error", f"{type(error).__name__}: {error}"[:2000].encode()),
            (DLQ_REASON_HEADER, reason.encode()),
            ("dlq_original_topic", record.topic.encode()),
            ("dlq_original_partition", str(record.partition).encode()),
            ("dlq_original_offset", str(record.offset).encode()),
            ("dlq_consumer_group", self._group_id.encode()),
        ]
        dead = Record(self._dlq_topic, record.key, record.value or b"", headers)
        attempt = 0
        # Never commit the offset of a record that is neither handled nor dead-lettered:
        # while the broker refuses the dead letter, wait here.
        while True:
            try:
                await self._publisher.publish([dead])
                break
            except Exception:
                attempt += 1
                log.warning("cannot publish to %s; retrying", self._dlq_topic, exc_info=True)
                await asyncio.sleep(self._backoff.delay(attempt))
        EVENTS_CONSUMED.labels(self._group_id, event_type, "dead_lettered").inc()


@contextlib.contextmanager
def _span(
    record: ConsumerRecord[bytes, bytes], event: CloudEvent[Event], group_id: str
) -> Iterator[None]:
    # The handler's log lines and the events it writes continue this correlation chain.
    with processing(record, event.id, group_id) as span, correlated(event):
        span.set_attribute("cloudevents.event_type", event.type)
        span.set_attribute("cloudevents.event_subject", event.subject)
        yield


def _where(record: ConsumerRecord[bytes, bytes]) -> tuple[str, int, int]:
    return record.topic, record.partition, record.offset

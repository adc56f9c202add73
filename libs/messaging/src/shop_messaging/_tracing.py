"""Spans of an event's journey, named and attributed as OpenTelemetry's messaging
conventions say: `create <topic>` when the outbox stores it (in the request's trace),
`publish <topic>` when the relay sends it (one span per event, a child of its creation),
`process <topic>` when a consumer handles it (a child of, and linked to, its creation).

The creation context travels in the event's `traceparent` header, so one trace holds the
request, the relay's send and every consumer's handling, across processes. The create and
publish spans are only started while the process exports spans (`exporting()`): they would
otherwise be work on the hot path that nobody reads.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence

from aiokafka import ConsumerRecord
from opentelemetry import propagate, trace
from opentelemetry.context import Context
from opentelemetry.trace import Link, Span, SpanKind, Status, StatusCode
from shop_telemetry import exporting

_tracer = trace.get_tracer("shop_messaging")
_TRACE_HEADERS = frozenset(("traceparent", "tracestate"))


@contextlib.contextmanager
def creating(topic: str, event_id: str, key: str | None) -> Iterator[None]:
    """The span of an event stored in the outbox; the event carries its context."""
    if not exporting():
        yield
        return
    with _tracer.start_as_current_span(
        f"create {topic}",
        kind=SpanKind.PRODUCER,
        attributes=_attributes(topic, "create", event_id, key),
    ):
        yield


def context_of(headers: Sequence[tuple[str, bytes]]) -> Context:
    """The trace context an event carries in its headers (an empty one if none)."""
    carrier = {k: v.decode(errors="replace") for k, v in headers if k in _TRACE_HEADERS}
    return propagate.extract(carrier)


def start_publish(
    topic: str, event_id: str, key: bytes | None, headers: Sequence[tuple[str, bytes]]
) -> Span | None:
    """The relay's span for one event, ended by `end_publish` once the broker answered."""
    if not exporting():
        return None
    return _tracer.start_span(
        f"publish {topic}",
        context=context_of(headers),
        kind=SpanKind.PRODUCER,
        attributes=_attributes(
            topic, "send", event_id, key.decode(errors="replace") if key is not None else None
        ),
    )


def end_publish(
    span: Span | None,
    *,
    partition: int | None = None,
    offset: int | None = None,
    error: BaseException | None = None,
) -> None:
    if span is None:
        return
    if partition is not None:
        span.set_attribute("messaging.destination.partition.id", str(partition))
    if offset is not None:
        span.set_attribute("messaging.kafka.offset", offset)
    if error is not None:
        span.record_exception(error)
        span.set_status(Status(StatusCode.ERROR, type(error).__name__))
    span.end()


@contextlib.contextmanager
def processing(
    record: ConsumerRecord[bytes, bytes], event_id: str, group_id: str
) -> Iterator[Span]:
    """The consumer's span for one record: a child of the event's creation, linked to it
    (the convention for a consumer), with the record's partition and offset."""
    parent = context_of(record.headers)
    created = trace.get_current_span(parent).get_span_context()
    attributes = _attributes(
        record.topic,
        "process",
        event_id,
        record.key.decode(errors="replace") if record.key is not None else None,
    )
    attributes.update(
        {
            "messaging.consumer.group.name": group_id,
            "messaging.destination.partition.id": str(record.partition),
            "messaging.kafka.offset": record.offset,
        }
    )
    with _tracer.start_as_current_span(
        f"process {record.topic}",
        context=parent,
        kind=SpanKind.CONSUMER,
        links=[Link(created)] if created.is_valid else None,
        attributes=attributes,
    ) as span:
        yield span


def _attributes(topic: str, operation: str, event_id: str, key: str | None) -> dict[str, str | int]:
    attributes: dict[str, str | int] = {
        "messaging.system": "kafka",
        "messaging.operation.type": operation,
        "messaging.operation.name": operation,
        "messaging.destination.name": topic,
        "messaging.message.id": event_id,
    }
    if key is not None:
        attributes["messaging.kafka.message.key"] = key
    return attributes

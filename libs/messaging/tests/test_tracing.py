"""An event's spans, as OpenTelemetry's messaging conventions name them: created in the
request's trace, published by the relay (one span per event, with where the broker stored
it) and processed by a consumer (a child of, and linked to, its creation). None of the
optional spans is started where nothing exports them."""

from collections.abc import Iterator, Sequence

import pytest
from aiokafka import ConsumerRecord
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from shop_contracts import OrderCancelled, to_kafka
from shop_messaging import Delivery, Outbox, OutboxRelay, Record, _tracing
from shop_messaging._dispatch import Dispatcher
from shop_messaging._failures import Backoff
from shop_telemetry import tracing
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker


class StoringPublisher:
    """Acknowledges every record at partition 2, offsets from 40 on."""

    def __init__(self) -> None:
        self.sent: list[Record] = []

    async def publish(self, records: Sequence[Record]) -> list[Delivery]:
        start = 40 + len(self.sent)
        self.sent.extend(records)
        return [Delivery(2, start + n) for n in range(len(records))]


@pytest.fixture
def spans(monkeypatch: pytest.MonkeyPatch) -> Iterator[InMemorySpanExporter]:
    """The spans this test's code records, as if the process exported them."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    monkeypatch.setattr(_tracing, "_tracer", provider.get_tracer("shop_messaging"))
    monkeypatch.setattr(tracing, "_exporting", True)
    yield exporter
    provider.shutdown()


def named(exporter: InMemorySpanExporter, name: str) -> ReadableSpan:
    found = [span for span in exporter.get_finished_spans() if span.name == name]
    assert len(found) == 1, [s.name for s in exporter.get_finished_spans()]
    return found[0]


async def test_an_event_is_created_in_the_request_trace_and_published_as_its_child(
    engine: AsyncEngine,
    session_factory: async_sessionmaker[AsyncSession],
    spans: InMemorySpanExporter,
) -> None:
    request_tracer = _tracing._tracer
    with request_tracer.start_as_current_span("POST /v1/checkouts") as request:
        async with session_factory() as session, session.begin():
            event = await Outbox().add(session, OrderCancelled(order_id="ord_t", reason="x"))
    publisher = StoringPublisher()

    assert await OutboxRelay(engine, publisher).publish_once() == 1

    created = named(spans, "create checkout.orders")
    published = named(spans, "publish checkout.orders")
    trace_id = request.get_span_context().trace_id
    assert created.context.trace_id == published.context.trace_id == trace_id
    assert created.parent is not None
    assert created.parent.span_id == request.get_span_context().span_id
    assert published.parent is not None
    assert published.parent.span_id == created.context.span_id
    assert event.traceparent is not None
    assert event.traceparent.startswith(f"00-{trace_id:032x}-{created.context.span_id:016x}-")
    assert created.kind is published.kind is SpanKind.PRODUCER
    assert dict(published.attributes or {}) == {
        "messaging.system": "kafka",
        "messaging.operation.type": "send",
        "messaging.operation.name": "send",
        "messaging.destination.name": "checkout.orders",
        "messaging.message.id": event.id,
        "messaging.kafka.message.key": "ord_t",
        "messaging.destination.partition.id": "2",
        "messaging.kafka.offset": 40,
    }


async def test_without_an_exporter_no_outbox_or_relay_span_is_started(
    engine: AsyncEngine,
    session_factory: async_sessionmaker[AsyncSession],
    spans: InMemorySpanExporter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tracing, "_exporting", False)
    with _tracing._tracer.start_as_current_span("request") as request:
        async with session_factory() as session, session.begin():
            event = await Outbox().add(session, OrderCancelled(order_id="ord_u", reason="x"))

    assert await OutboxRelay(engine, StoringPublisher()).publish_once() == 1

    assert [span.name for span in spans.get_finished_spans()] == ["request"]
    context = request.get_span_context()
    assert event.traceparent is not None
    assert event.traceparent.startswith(f"00-{context.trace_id:032x}-{context.span_id:016x}-")


async def test_a_consumer_processes_an_event_as_a_child_linked_to_its_creation(
    session_factory: async_sessionmaker[AsyncSession],
    spans: InMemorySpanExporter,
) -> None:
    with _tracing._tracer.start_as_current_span("request"):
        async with session_factory() as session, session.begin():
            event = await Outbox().add(session, OrderCancelled(order_id="ord_c", reason="y"))
    created = named(spans, "create checkout.orders").context
    key, value, headers = to_kafka(event)
    record = ConsumerRecord(
        "checkout.orders", 1, 7, 0, 0, key, value, None, len(key), len(value), headers
    )
    handled: list[str] = []

    async def handler(session: AsyncSession, received: object) -> None:
        handled.append(trace.get_current_span().get_span_context().trace_id)

    dispatcher = Dispatcher(
        "tracing-test",
        {OrderCancelled: handler},
        session_factory,
        publisher=StoringPublisher(),
        dlq_topic="tracing-test.dlq",
        transient=(),
        permanent=(),
        backoff=Backoff(0.01, 0.01),
    )

    await dispatcher.process(record, 1, 3)

    processed = named(spans, "process checkout.orders")
    assert handled == [created.trace_id]
    assert processed.kind is SpanKind.CONSUMER
    assert processed.parent is not None
    assert processed.parent.span_id == created.span_id
    assert [link.context.span_id for link in processed.links] == [created.span_id]
    attributes = dict(processed.attributes or {})
    assert attributes["messaging.consumer.group.name"] == "tracing-test"
    assert attributes["messaging.destination.partition.id"] == "1"
    assert attributes["messaging.kafka.offset"] == 7
    assert attributes["messaging.message.id"] == event.id

"""One checkout, one trace: the customer's request, the three coordinated calls, the
outbox relay's sends and every consumer that handled the order's events, across every
process, as an OpenTelemetry collector receives it (the embedded stack exports over
OTLP/HTTP to a receiver in this test process)."""

import secrets
from collections.abc import Sequence

import pytest
from shop_e2e import Deployment, Shop
from shop_testing.otlp import OtlpReceiver, ReceivedSpan

NEEDS_TRACES = "needs the spans the stack exports (the embedded stack sends them to this run)"
ROLE = "shop.process.role"
SERVER, PRODUCER, CONSUMER = 2, 4, 5

# (topic, consumer group) pairs a shipped order's events must reach, each a `process` span.
HANDLED = {
    ("checkout.orders", "fulfillment"),
    ("checkout.orders", "inventory"),
    ("checkout.orders", "communications"),
    ("checkout.orders", "reconciliation"),
    ("fulfillment.shipments", "inventory"),
    ("fulfillment.shipments", "payment"),
    ("fulfillment.shipments", "communications"),
    ("fulfillment.shipments", "checkout"),
    ("fulfillment.shipments", "reconciliation"),
}
# Topics whose events the relays of their owners must have sent in this trace.
PUBLISHED = {"checkout.orders", "fulfillment.shipments", "payment.payments"}
SERVICES = {
    "checkout", "pricing", "inventory", "payment", "fulfillment", "communications", "reconciliation"
}  # fmt: skip


@pytest.fixture
def traces(deployment: Deployment) -> OtlpReceiver:
    if deployment.traces is None:
        pytest.skip(reason=NEEDS_TRACES)
    return deployment.traces


async def test_a_checkout_is_one_trace_across_every_process_that_handles_the_order(
    shop: Shop, traces: OtlpReceiver
) -> None:
    trace_id = secrets.token_hex(16)
    body = shop.checkout_body(shop.new_customer(), [("SKU-MUG-01", 1)])

    response = await shop.post_checkout(
        body, traceparent=f"00-{trace_id}-{secrets.token_hex(8)}-01"
    )

    assert response.status_code == 201, response.text
    order_id = response.json()["order_id"]

    def trace_is_complete() -> list[ReceivedSpan]:
        spans = traces.trace(trace_id)
        processed = {
            (
                s.attributes["messaging.destination.name"],
                s.attributes["messaging.consumer.group.name"],
            )
            for s in spans
            if s.kind == CONSUMER
        }
        assert processed >= HANDLED, f"not processed in this trace yet: {HANDLED - processed}"
        published = {
            s.attributes["messaging.destination.name"]
            for s in spans
            if s.name.startswith("publish ")
        }
        assert published >= PUBLISHED, f"not published in this trace yet: {PUBLISHED - published}"
        # Each process exports on its own schedule, so a send or a handling can arrive before
        # the creation it points to (made in another process): wait for those too.
        ids = {s.span_id for s in spans}
        waiting = [
            s.name for s in spans if s.name.startswith("publish ") and s.parent_span_id not in ids
        ]
        waiting += [
            s.name for s in spans if s.kind == CONSUMER and not any(i in ids for _, i in s.links)
        ]
        assert not waiting, f"their events' creations have not arrived yet: {waiting}"
        return spans

    spans = await shop.wait_until(order_id, trace_is_complete, timeout=60)

    assert {s.service for s in spans} >= SERVICES
    # One service.name per service, its process's role beside it.
    assert {(s.service, s.resource.get(ROLE)) for s in spans} >= {
        ("checkout", "serve"), ("checkout", "work"), ("pricing", "serve"),
        ("inventory", "serve"), ("payment", "serve"), ("fulfillment", "work"),
    }  # fmt: skip
    served = {s.service for s in spans if s.kind == SERVER}
    assert served >= {"checkout", "pricing", "inventory", "payment"}
    assert_relay_spans(spans)
    assert_consumer_spans(spans)
    statements = [s for s in spans if s.attributes.get("db.system") == "postgresql"
                  or s.attributes.get("db.system.name") == "postgresql"]  # fmt: skip
    assert {s.service for s in statements} >= {"checkout", "inventory", "payment", "fulfillment"}


def assert_relay_spans(spans: Sequence[ReceivedSpan]) -> None:
    """Each send is a child of the event's creation and says where the broker put it."""
    by_id = {s.span_id: s for s in spans}
    relays = [s for s in spans if s.name.startswith("publish ")]
    for span in relays:
        assert span.kind == PRODUCER
        assert span.resource.get(ROLE) == "work", span
        parent = by_id.get(span.parent_span_id)
        assert parent is not None, f"{span.name} has no parent in the trace"
        assert parent.name == f"create {span.attributes['messaging.destination.name']}"
        assert parent.attributes["messaging.message.id"] == span.attributes["messaging.message.id"]
        assert span.attributes["messaging.system"] == "kafka"
        assert "messaging.destination.partition.id" in span.attributes, span
        assert "messaging.kafka.offset" in span.attributes, span


def assert_consumer_spans(spans: Sequence[ReceivedSpan]) -> None:
    """Each handling is linked to (and a child of) the creation of the event it handled."""
    created = {s.span_id: s for s in spans if s.name.startswith("create ")}
    for span in (s for s in spans if s.kind == CONSUMER):
        linked = [created.get(span_id) for _, span_id in span.links]
        assert linked, f"{span.name} is linked to nothing"
        assert linked[0] is not None, f"{span.name} is linked to no creation in the trace"
        assert span.parent_span_id == linked[0].span_id
        assert (
            linked[0].attributes["messaging.message.id"] == span.attributes["messaging.message.id"]
        )
        assert "messaging.destination.partition.id" in span.attributes
        assert "messaging.kafka.offset" in span.attributes

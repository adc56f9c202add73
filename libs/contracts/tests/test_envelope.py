import json
from datetime import UTC, datetime

import pytest
from shop_contracts import (
    EVENT_TYPES,
    TOPIC_EVENT_TYPES,
    CloudEvent,
    InvalidEventData,
    MalformedEvent,
    MissingHeader,
    OrderConfirmed,
    OrderConfirmedV2,
    OrderContactShared,
    PoisonEvent,
    StockReplenished,
    UnknownEventType,
    from_kafka,
    to_kafka,
    topics,
)

TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


ORDER: dict[str, object] = {
    "order_id": "ord_1",
    "customer_id": "cus_1",
    "lines": [{"sku": "SKU-1", "quantity": 2, "unit_price": {"amount": 1250, "currency": "EUR"}}],
    "total": {"amount": 2500, "currency": "EUR"},
    "reservation_id": "res_1",
    "authorization_id": "auth_1",
    "confirmed_at": datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC),
}
PERSONAL: dict[str, object] = {
    "customer_email": "ada@example.com",
    "shipping_address": {
        "name": "Ada",
        "line1": "1 Main St",
        "city": "Paris",
        "postal_code": "75001",
        "country": "FR",
    },
}


def order_confirmed(**overrides: object) -> OrderConfirmedV2:
    return OrderConfirmedV2.model_validate({**ORDER, **overrides})


def encoded() -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
    event = CloudEvent.create(order_confirmed(), correlation_id="req_1", traceparent=TRACEPARENT)
    return to_kafka(event)


def test_round_trip_keeps_every_attribute_and_the_payload() -> None:
    event = CloudEvent.create(order_confirmed(), correlation_id="req_1", traceparent=TRACEPARENT)

    key, value, headers = to_kafka(event)
    decoded = from_kafka(key, value, headers)

    assert decoded == event
    assert key == b"ord_1"
    assert dict(headers)["ce_type"] == b"shop.checkout.OrderConfirmed.v2"
    assert dict(headers)["ce_source"] == b"/checkout"
    assert dict(headers)["content-type"] == b"application/json"
    assert dict(headers)["ce_correlationid"] == b"req_1"
    assert dict(headers)["traceparent"] == TRACEPARENT.encode()
    assert event.id.startswith("evt_")
    assert event.topic == topics.ORDERS


def test_a_v1_order_confirmed_is_read_as_v2_without_the_email_and_the_address() -> None:
    old = CloudEvent.create(OrderConfirmed.model_validate({**ORDER, **PERSONAL}))

    decoded = from_kafka(*to_kafka(old))

    assert decoded.type == OrderConfirmedV2.event_type
    assert decoded.data == order_confirmed()
    assert (decoded.id, decoded.time) == (old.id, old.time)


def test_the_customers_email_travels_alone_on_its_own_topic() -> None:
    contact = OrderContactShared(order_id="ord_1", customer_id="cus_1", customer_email="a@b.c")
    key, value, _ = to_kafka(CloudEvent.create(contact))

    assert (contact.topic, key) == (topics.CONTACTS, b"ord_1")
    assert set(json.loads(value)) == {"order_id", "customer_id", "customer_email"}
    assert TOPIC_EVENT_TYPES[topics.CONTACTS] == (OrderContactShared.event_type,)
    assert not any(
        "customer_email" in cls.model_fields
        for cls in EVENT_TYPES.values()
        if cls.topic != topics.CONTACTS and cls is not OrderConfirmed
    )


def test_event_not_about_an_order_is_keyed_by_its_own_subject() -> None:
    event = CloudEvent.create(StockReplenished(sku="SKU-1", quantity=5, available=7))

    key, value, headers = to_kafka(event)

    assert key == b"SKU-1"
    assert from_kafka(key, value, headers).data == event.data


def test_unknown_headers_survive_a_round_trip() -> None:
    key, value, headers = encoded()
    decoded = from_kafka(key, value, [*headers, ("replay_count", b"1")])
    assert decoded.extra_headers == (("replay_count", b"1"),)


@pytest.mark.parametrize("header", ["ce_id", "ce_type", "ce_source", "ce_specversion", "ce_time"])
def test_missing_header_is_poison(header: str) -> None:
    key, value, headers = encoded()
    with pytest.raises(MissingHeader, match=header):
        from_kafka(key, value, [h for h in headers if h[0] != header])


def test_a_malformed_contact_is_reported_without_the_email() -> None:
    contact = OrderContactShared(order_id="ord_1", customer_id="cus_1", customer_email="a@b.c")
    key, value, headers = to_kafka(CloudEvent.create(contact))
    payload = {**json.loads(value), "customer_email": "ada.private@example.com x"}
    with pytest.raises(InvalidEventData, match="customer_email") as caught:
        from_kafka(key, json.dumps(payload).encode(), headers)
    assert "ada.private" not in str(caught.value)


def test_bad_json_is_poison() -> None:
    key, _, headers = encoded()
    with pytest.raises(MalformedEvent, match="not JSON"):
        from_kafka(key, b"{not json", headers)


def test_schema_invalid_data_is_poison() -> None:
    key, value, headers = encoded()
    payload = json.loads(value)
    payload["total"]["amount"] = 12.5  # money is never a float
    with pytest.raises(InvalidEventData):
        from_kafka(key, json.dumps(payload).encode(), headers)


def test_unexpected_field_in_data_is_poison() -> None:
    key, value, headers = encoded()
    payload = {**json.loads(value), "card_number": "4242424242424242"}
    with pytest.raises(InvalidEventData, match="card_number") as caught:
        from_kafka(key, json.dumps(payload).encode(), headers)
    # The error goes to logs and dead-letter headers: it names the field, not the value.
    assert "4242" not in str(caught.value)


def test_bad_specversion_time_and_content_type_are_poison() -> None:
    key, value, headers = encoded()

    def replaced(name: str, raw: bytes) -> list[tuple[str, bytes]]:
        return [(n, raw if n == name else v) for n, v in headers]

    for name, raw in [
        ("ce_specversion", b"0.3"),
        ("ce_time", b"yesterday"),
        ("ce_time", b"2025-01-01T00:00:00"),
        ("content-type", b"application/avro"),
    ]:
        with pytest.raises(MalformedEvent):
            from_kafka(key, value, replaced(name, raw))


def test_every_poison_error_is_a_poison_event() -> None:
    assert issubclass(MissingHeader, PoisonEvent)
    assert issubclass(MalformedEvent, PoisonEvent)
    assert issubclass(InvalidEventData, PoisonEvent)
    assert not issubclass(UnknownEventType, PoisonEvent)


def test_unknown_type_is_reported_as_such_not_as_poison() -> None:
    key, value, headers = encoded()
    headers = [(n, b"shop.checkout.OrderAmended.v2" if n == "ce_type" else v) for n, v in headers]
    with pytest.raises(UnknownEventType) as caught:
        from_kafka(key, value, headers)
    assert caught.value.event_type == "shop.checkout.OrderAmended.v2"


def test_registry_and_topic_table_match_the_design() -> None:
    assert len(EVENT_TYPES) == 19  # ShipmentDispatched and OrderConfirmed in v1 and v2
    assert {t.rsplit(".", 2)[1] for t in TOPIC_EVENT_TYPES[topics.SHIPMENTS]} == {
        "ShipmentCreated",
        "BackorderDeclared",
        "ShipmentDispatched",
    }
    for event_type, cls in EVENT_TYPES.items():
        assert event_type == cls.event_type
        assert event_type in TOPIC_EVENT_TYPES[cls.topic]
        assert cls.source == "/" + event_type.split(".")[1]
    assert set(TOPIC_EVENT_TYPES) == set(topics.ALL)


def test_payloads_are_immutable_and_strict() -> None:
    event = order_confirmed()
    with pytest.raises(ValueError, match="frozen"):
        event.order_id = "ord_2"  # type: ignore[misc]
    with pytest.raises(ValueError, match="confirmed_at"):
        order_confirmed(confirmed_at=datetime(2025, 1, 1))  # naive time

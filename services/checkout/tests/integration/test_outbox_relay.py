"""The confirmation a checkout writes is what the worker's relay publishes: the order on
checkout.orders without personal data, the email alone on checkout.contacts (ADR 0010)."""

import uuid
from collections.abc import Sequence

import httpx
from checkout.settings import CheckoutSettings
from shop_contracts import OrderConfirmedV2, OrderContactShared, from_kafka
from shop_messaging import OutboxRelay, Record
from shop_servicekit import Database


class Captured:
    def __init__(self) -> None:
        self.records: list[Record] = []

    async def publish(self, records: Sequence[Record]) -> None:
        self.records.extend(records)


async def test_a_confirmed_order_is_relayed_as_a_valid_order_confirmed_event(
    client: httpx.AsyncClient, settings: CheckoutSettings
) -> None:
    body = {
        "customer": {"id": f"cus_{uuid.uuid4().hex[:12]}", "email": "ada@example.com"},
        "items": [{"sku": "SKU-PEN-01", "quantity": 1}],
        "shipping_address": {
            "name": "Ada",
            "line1": "1 Main St",
            "city": "Paris",
            "postal_code": "75001",
            "country": "FR",
        },
        "payment": {"token": "tok_visa"},
        "currency": "EUR",
    }
    response = await client.post(
        "/v1/checkouts", json=body, headers={"Idempotency-Key": f"test-{uuid.uuid4().hex}"}
    )
    assert response.status_code == 201
    order = response.json()

    db, publisher = Database(settings.database_url, pool_size=1), Captured()
    try:
        assert await OutboxRelay(db.engine, publisher, notify_channel=None).publish_once() == 2
    finally:
        await db.dispose()

    # The contact first: communications needs it to mail the confirmation.
    [contact_record, record] = publisher.records
    event = from_kafka(record.key, record.value, record.headers)
    assert record.topic == "checkout.orders"
    assert isinstance(event.data, OrderConfirmedV2)
    assert event.subject == order["order_id"]
    assert event.data.total.model_dump() == order["total"]
    street = body["shipping_address"]["line1"].encode()
    assert b"@" not in record.value
    assert street not in record.value
    contact = from_kafka(contact_record.key, contact_record.value, contact_record.headers)
    assert contact_record.topic == "checkout.contacts"
    assert isinstance(contact.data, OrderContactShared)
    assert (contact.subject, contact.data.customer_email) == (
        order["order_id"],
        body["customer"]["email"],
    )
    assert street not in contact_record.value

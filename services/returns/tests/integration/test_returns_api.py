"""The return's life through the API and the consumer, on the real database: requested by
the owner, received by the warehouse, refunded by payment; every refusal a problem."""

from typing import Any

import httpx
from shop_servicekit import Database
from shop_testing.credentials import customer_bearer
from sqlalchemy import text

from .returns_events import (
    confirmed,
    deliver,
    new_order_id,
    refunded,
    restocked,
    shipped,
    shipped_order,
)


async def _request(
    client: httpx.AsyncClient, order_id: str, lines: list[dict[str, Any]], key: str = "key-0001"
) -> httpx.Response:
    return await client.post(
        "/v1/returns",
        json={"order_id": order_id, "lines": lines},
        headers={"Idempotency-Key": key},
    )


async def _events(db: Database) -> list[str]:
    async with db.sessions() as session:
        rows = await session.scalars(text("SELECT type FROM outbox ORDER BY id"))
        return [row.split(".")[-2] for row in rows]


async def test_a_return_goes_from_requested_to_received_to_refunded_with_its_timeline(
    client: httpx.AsyncClient, db: Database
) -> None:
    order_id = await shipped_order(db)

    created = await _request(client, order_id, [{"sku": "SKU-MUG", "quantity": 1}])
    assert created.status_code == 201, created.text
    ret = created.json()
    assert ret["return_id"].startswith("ret_")
    assert (ret["status"], ret["refund"]) == ("REQUESTED", {"amount": 1100, "currency": "EUR"})

    received = await client.post(f"/v1/returns/{ret['return_id']}/receive")
    assert (received.status_code, received.json()["status"]) == (200, "RECEIVED")
    again = await client.post(f"/v1/returns/{ret['return_id']}/receive")
    assert again.json()["received_at"] == received.json()["received_at"]
    assert await _events(db) == ["ReturnRequested", "ReturnReceived"]  # received once

    assert await deliver(db, restocked(order_id, ret["return_id"]))
    assert await deliver(db, refunded(order_id, ret["return_id"], 1100))
    assert await deliver(db, refunded(order_id, ret["return_id"], 1100))  # a republish

    read = (await client.get(f"/v1/returns/{ret['return_id']}")).json()
    assert read["status"] == "REFUNDED"
    assert [entry["type"] for entry in read["timeline"]] == [
        "ReturnRequested",
        "ReturnReceived",
        "ReturnRestocked",
        "PaymentRefunded",
    ]


async def test_the_same_key_and_body_replays_the_return_and_another_body_is_refused(
    client: httpx.AsyncClient, db: Database
) -> None:
    order_id = await shipped_order(db)
    lines = [{"sku": "SKU-MUG", "quantity": 1}]
    first = await _request(client, order_id, lines)
    replay = await _request(client, order_id, lines)
    assert replay.status_code == 201
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json()["return_id"] == first.json()["return_id"]

    reused = await _request(client, order_id, [{"sku": "SKU-MUG", "quantity": 2}])
    assert reused.status_code == 422
    assert reused.json()["type"].endswith("/idempotency-key-reused")
    assert await _events(db) == ["ReturnRequested"]


async def test_every_refusal_is_a_problem_with_a_stable_type_and_writes_nothing(
    client: httpx.AsyncClient, db: Database
) -> None:
    order_id = await shipped_order(db)
    unshipped = new_order_id()
    assert await deliver(db, confirmed(unshipped))
    mug = [{"sku": "SKU-MUG", "quantity": 1}]
    cases = [
        (unshipped, mug, 409, "order-not-returnable"),
        (new_order_id(), mug, 404, "order-not-found"),
        (order_id, [{"sku": "SKU-SOCK", "quantity": 1}], 422, "line-not-in-order"),
        (order_id, [{"sku": "SKU-MUG", "quantity": 3}], 409, "return-quantity-exceeded"),
        (order_id, [{"sku": "SKU-MUG", "quantity": 1}] * 2, 422, "validation-error"),
        (order_id, [], 422, "validation-error"),
    ]
    for n, (order, lines, status, slug) in enumerate(cases):
        answer = await _request(client, order, lines, key=f"key-refused-{n}")
        assert answer.status_code == status, (slug, answer.text)
        assert answer.json()["type"].endswith(f"/{slug}"), answer.text
    missing = await client.post("/v1/returns", json={"order_id": order_id, "lines": mug})
    assert missing.json()["type"].endswith("/idempotency-key-missing")
    assert await _events(db) == []


async def test_what_earlier_returns_took_back_cannot_be_returned_again(
    client: httpx.AsyncClient, db: Database
) -> None:
    order_id = await shipped_order(db)
    assert (
        await _request(client, order_id, [{"sku": "SKU-MUG", "quantity": 2}])
    ).status_code == 201
    again = await _request(client, order_id, [{"sku": "SKU-MUG", "quantity": 1}], key="key-0002")
    assert again.status_code == 409
    assert again.json()["returnable"] == 0


async def test_another_customers_order_and_return_answer_404(
    client: httpx.AsyncClient, db: Database
) -> None:
    order_id = await shipped_order(db)
    created = (await _request(client, order_id, [{"sku": "SKU-MUG", "quantity": 1}])).json()
    stranger = customer_bearer("cus_stranger")

    read = await client.get(f"/v1/returns/{created['return_id']}", headers=stranger)
    assert (read.status_code, read.json()["type"].split("/")[-1]) == (404, "return-not-found")
    asked = await client.post(
        "/v1/returns",
        json={"order_id": order_id, "lines": [{"sku": "SKU-MUG", "quantity": 1}]},
        headers={**stranger, "Idempotency-Key": "key-stranger"},
    )
    assert (asked.status_code, asked.json()["type"].split("/")[-1]) == (404, "order-not-found")
    # Receiving is the warehouse's: a customer's token is refused.
    refused = await client.post(f"/v1/returns/{created['return_id']}/receive", headers=stranger)
    assert refused.status_code in (401, 403), refused.text


async def test_a_shipment_that_arrives_before_its_order_still_counts(
    client: httpx.AsyncClient, db: Database
) -> None:
    order_id = new_order_id()
    assert await deliver(db, shipped(order_id))
    assert await deliver(db, confirmed(order_id))
    answer = await _request(client, order_id, [{"sku": "SKU-LAMP", "quantity": 1}])
    assert (answer.status_code, answer.json()["refund"]["amount"]) == (201, 3300)


async def test_reconciliation_reads_the_returns_page_by_page(
    client: httpx.AsyncClient, db: Database
) -> None:
    order_id = await shipped_order(db)
    created = (await _request(client, order_id, [{"sku": "SKU-MUG", "quantity": 1}])).json()
    page = await client.get(
        "/internal/v1/returns", params={"since": "2000-01-01T00:00:00Z", "limit": 10}
    )
    assert page.status_code == 200, page.text
    [item] = [i for i in page.json()["items"] if i["return_id"] == created["return_id"]]
    assert item["lines"] == [{"sku": "SKU-MUG", "quantity": 1}]
    assert item["status"] == "REQUESTED"

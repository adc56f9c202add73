"""Checkout against the real pricing, inventory and payment processes, over real HTTP."""

import time
import uuid
from typing import Any

import asyncpg
import httpx
from shop_testing.eventually import eventually

PROBLEMS = "https://shop.example/problems/"


def body(*items: tuple[str, int], token: str = "tok_visa", currency: str = "EUR") -> dict[str, Any]:
    return {
        "customer": {"id": f"cus_{uuid.uuid4().hex[:12]}", "email": "ada@example.com"},
        "items": [{"sku": sku, "quantity": qty} for sku, qty in (items or [("SKU-MUG-01", 2)])],
        "shipping_address": {
            "name": "Ada Lovelace",
            "line1": "1 Main St",
            "city": "Berlin",
            "postal_code": "10115",
            "country": "DE",
        },
        "payment": {"token": token},
        "currency": currency,
    }


def key() -> dict[str, str]:
    return {"Idempotency-Key": f"test-{uuid.uuid4().hex}"}


async def test_a_checkout_confirms_the_order_reserves_stock_and_authorizes_payment(
    client: httpx.AsyncClient, shop: Any, checkout_db: asyncpg.Connection
) -> None:
    before = await shop.stock("SKU-TEE-01")
    response = await client.post("/v1/checkouts", json=body(("SKU-TEE-01", 3)), headers=key())

    assert response.status_code == 201, response.text
    order = response.json()
    assert order["status"] == "CONFIRMED"
    assert order["fulfillment_status"] == "PENDING"
    assert order["order_id"].startswith("ord_")
    assert order["lines"][0]["quantity"] == 3
    # 3 x 25.00 EUR, free shipping over 50.00, 19 % German VAT.
    assert order["total"] == {"amount": 7500 + round(7500 * 0.19), "currency": "EUR"}

    after = await shop.stock("SKU-TEE-01")
    assert after["reserved"] == before["reserved"] + 3
    row = await checkout_db.fetchrow(
        "SELECT reservation_id, authorization_id FROM orders WHERE id = $1", order["order_id"]
    )
    assert (await shop.authorization(row["authorization_id"]))["status"] == "AUTHORIZED"
    events = await checkout_db.fetch("SELECT type, key FROM outbox ORDER BY id")
    assert [(e["type"], e["key"]) for e in events] == [
        ("shop.checkout.OrderContactShared.v1", order["order_id"]),
        ("shop.checkout.OrderConfirmed.v2", order["order_id"]),
    ]

    # After the answer, checkout confirms the hold: it no longer expires under the order.
    async def hold_confirmed() -> bool:
        sql = "SELECT confirmed_at IS NOT NULL FROM reservations WHERE order_id = $1"
        return bool(await shop.peek("inventory", sql, order["order_id"]))

    await eventually(hold_confirmed, timeout=5)

    read = (await client.get(f"/v1/orders/{order['order_id']}")).json()
    assert read["status"] == "CONFIRMED"
    assert [(e["type"], e["source"]) for e in read["timeline"]] == [
        ("priced", "pricing"),
        ("stock-reserved", "inventory"),
        ("payment-authorized", "payment"),
        ("OrderConfirmed", "checkout"),
    ]


async def test_out_of_stock_is_a_409_naming_the_sku_and_holds_nothing(
    client: httpx.AsyncClient, shop: Any, checkout_db: asyncpg.Connection
) -> None:
    before = await shop.stock("SKU-PRINT-01")
    response = await client.post(
        "/v1/checkouts",
        json=body(("SKU-MUG-01", 1), ("SKU-PRINT-01", before["available"] + 1)),
        headers=key(),
    )
    assert response.status_code == 409
    problem = response.json()
    assert problem["type"] == PROBLEMS + "out-of-stock"
    assert problem["skus"] == ["SKU-PRINT-01"]
    assert await shop.stock("SKU-PRINT-01") == before
    order_id = problem["order_id"]
    assert (
        await shop.peek(
            "payment", "SELECT count(*) FROM authorizations WHERE order_id = $1", order_id
        )
        == 0
    )
    status, reason = await checkout_db.fetchrow(
        "SELECT status, reject_reason FROM orders WHERE id = $1", order_id
    )
    assert (status, reason) == ("REJECTED", "out-of-stock")


async def test_declined_and_fraud_are_402s_and_the_reservation_is_released(
    client: httpx.AsyncClient, shop: Any
) -> None:
    for token, slug in (("tok_declined", "payment-declined"), ("tok_fraud", "fraud-suspected")):
        before = await shop.stock("SKU-CAP-01")
        response = await client.post(
            "/v1/checkouts", json=body(("SKU-CAP-01", 2), token=token), headers=key()
        )
        assert response.status_code == 402, response.text
        assert response.json()["type"] == PROBLEMS + slug
        order_id = response.json()["order_id"]

        async def released(reserved: int = before["reserved"]) -> bool:
            return (await shop.stock("SKU-CAP-01"))["reserved"] == reserved

        await eventually(released, timeout=5)
        status = await shop.peek(
            "inventory", "SELECT status FROM reservations WHERE order_id = $1", order_id
        )
        assert status == "RELEASED"
        order = (await client.get(f"/v1/orders/{order_id}")).json()
        assert (order["status"], order["reject_reason"]) == ("REJECTED", slug)


async def test_a_dependency_that_times_out_is_a_504_within_the_budget_and_nothing_stays_held(
    client: httpx.AsyncClient, shop: Any, checkout_db: asyncpg.Connection
) -> None:
    before = await shop.stock("SKU-NOTE-01")
    await shop.faults("payment", latency_ms=3000)

    started = time.monotonic()
    response = await client.post("/v1/checkouts", json=body(("SKU-NOTE-01", 1)), headers=key())
    elapsed = time.monotonic() - started

    assert response.status_code == 504, response.text
    assert response.json()["type"] == PROBLEMS + "checkout-timeout"
    assert response.json()["dependency"] == "payment"
    assert elapsed < 2.0 + 0.3
    order_id = response.json()["order_id"]
    await shop.clear_faults("payment")

    async def nothing_held() -> bool:
        stock = await shop.stock("SKU-NOTE-01")
        authorization = await shop.peek(
            "payment", "SELECT status FROM authorizations WHERE order_id = $1", order_id
        )
        return stock["reserved"] == before["reserved"] and authorization in (None, "VOIDED")

    # The late authorization lands about 3 s in; the void, queued behind the same fault
    # latency, lands after it.
    await eventually(nothing_held, timeout=15)
    assert (
        await checkout_db.fetchval("SELECT reject_reason FROM orders WHERE id = $1", order_id)
        == "dependency-timeout:payment"
    )


async def test_a_dependency_that_is_down_opens_the_breaker_then_a_probe_closes_it(
    client: httpx.AsyncClient, shop: Any
) -> None:
    await shop.faults("payment", refuse=True)
    answers = []
    for _ in range(3):  # fail_max = 3 failed attempts (each checkout tries twice)
        response = await client.post("/v1/checkouts", json=body(), headers=key())
        answers.append(response.status_code)
        if (await breaker(client, "payment")) == "open":
            break
    assert set(answers) == {503}
    assert await breaker(client, "payment") == "open"

    # Open: refused at once, and payment never sees the request.
    seen = await shop.requests_served("payment")
    started = time.monotonic()
    response = await client.post("/v1/checkouts", json=body(), headers=key())
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.json()["type"] == PROBLEMS + "dependency-unavailable"
    assert response.json()["dependency"] == "payment"
    assert int(response.headers["Retry-After"]) >= 1
    assert elapsed < 0.1
    assert await shop.requests_served("payment") == seen

    # Healed: after reset_timeout (1 s here) one probe goes through and closes it.
    await shop.clear_faults("payment")

    async def confirmed_again() -> bool:
        answer = await client.post("/v1/checkouts", json=body(), headers=key())
        return answer.status_code == 201

    await eventually(confirmed_again, timeout=5, interval=0.2)
    assert await breaker(client, "payment") == "closed"
    metrics = (await client.get("/metrics")).text
    assert (
        'dependency_breaker_transitions_total{dependency="payment",from_state="half-open",'
        'to_state="closed"} 1.0' in metrics
    )


async def breaker(client: httpx.AsyncClient, dependency: str) -> str:
    report = (await client.get("/health/ready")).json()
    state: str = report["checks"][f"breaker_{dependency}"]["state"]
    return state

"""Idempotency keys and input validation: replays, races, reuse, refusals that change nothing."""

import asyncio
import uuid
from typing import Any

import asyncpg
import httpx
import pytest

PROBLEMS = "https://shop.example/problems/"


def body(customer: str | None = None, **overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "customer": {"id": customer or f"cus_{uuid.uuid4().hex[:12]}", "email": "ada@example.com"},
        "items": [{"sku": "SKU-BOTTLE-01", "quantity": 1}],
        "shipping_address": {
            "name": "Ada Lovelace",
            "line1": "1 Main St",
            "city": "Berlin",
            "postal_code": "10115",
            "country": "DE",
        },
        "payment": {"token": "tok_visa"},
        "currency": "EUR",
    }
    payload.update(overrides)
    return payload


def key() -> dict[str, str]:
    return {"Idempotency-Key": f"test-{uuid.uuid4().hex}"}


async def test_the_same_key_and_body_replays_the_first_answer_and_makes_one_order(
    client: httpx.AsyncClient, shop: Any, checkout_db: asyncpg.Connection
) -> None:
    headers, payload = key(), body()
    before = await shop.stock("SKU-BOTTLE-01")
    first = await client.post("/v1/checkouts", json=payload, headers=headers)
    again = await client.post("/v1/checkouts", json=payload, headers=headers)

    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again.headers["Idempotent-Replayed"] == "true"
    assert await checkout_db.fetchval("SELECT count(*) FROM orders") == 1
    assert (await shop.stock("SKU-BOTTLE-01"))["reserved"] == before["reserved"] + 1


async def test_a_refusal_is_replayed_too(client: httpx.AsyncClient) -> None:
    headers, payload = key(), body(payment={"token": "tok_declined"})
    first = await client.post("/v1/checkouts", json=payload, headers=headers)
    again = await client.post("/v1/checkouts", json=payload, headers=headers)
    assert first.status_code == again.status_code == 402
    assert again.content == first.content
    assert again.headers["content-type"] == first.headers["content-type"]


async def test_racing_identical_requests_make_exactly_one_order(
    client: httpx.AsyncClient, checkout_db: asyncpg.Connection
) -> None:
    headers, payload = key(), body()
    responses = await asyncio.gather(
        *(client.post("/v1/checkouts", json=payload, headers=headers) for _ in range(2))
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses in ([201, 201], [201, 409])
    created = [r.json() for r in responses if r.status_code == 201]
    assert all(c == created[0] for c in created)
    conflict = [r.json() for r in responses if r.status_code == 409]
    assert all(p["type"] == PROBLEMS + "request-in-progress" for p in conflict)
    assert await checkout_db.fetchval("SELECT count(*) FROM orders") == 1


async def test_the_same_key_with_another_body_is_refused(
    client: httpx.AsyncClient, checkout_db: asyncpg.Connection
) -> None:
    headers, customer = key(), f"cus_{uuid.uuid4().hex[:12]}"
    assert (
        await client.post("/v1/checkouts", json=body(customer), headers=headers)
    ).status_code == 201
    other = body(customer, items=[{"sku": "SKU-BOTTLE-01", "quantity": 2}])
    response = await client.post("/v1/checkouts", json=other, headers=headers)
    assert response.status_code == 422
    assert response.json()["type"] == PROBLEMS + "idempotency-key-reused"
    assert await checkout_db.fetchval("SELECT count(*) FROM orders") == 1


async def test_a_claim_left_by_a_crashed_process_expires_so_the_client_can_retry(
    client: httpx.AsyncClient, checkout_db: asyncpg.Connection
) -> None:
    headers, payload = key(), body()
    await client.post("/v1/checkouts", json=payload, headers=headers)
    # Simulate a crash mid-checkout: the key stays IN_PROGRESS with its lock.
    await checkout_db.execute(
        "UPDATE idempotency_keys SET status = 'IN_PROGRESS', outcome = NULL, "
        "locked_until = now() + interval '1 minute'"
    )
    await checkout_db.execute("DELETE FROM outbox")
    await checkout_db.execute("DELETE FROM order_timeline")
    await checkout_db.execute("DELETE FROM order_lines")
    await checkout_db.execute("DELETE FROM orders")
    blocked = await client.post("/v1/checkouts", json=payload, headers=headers)
    assert blocked.status_code == 409

    await checkout_db.execute("UPDATE idempotency_keys SET locked_until = now() - interval '1 s'")
    retried = await client.post("/v1/checkouts", json=payload, headers=headers)
    assert retried.status_code == 201
    assert await checkout_db.fetchval("SELECT count(*) FROM orders") == 1


async def test_a_transient_failure_releases_the_key_so_a_retry_runs(
    client: httpx.AsyncClient, shop: Any
) -> None:
    headers, payload = key(), body()
    await shop.faults("pricing", refuse=True)
    failed = await client.post("/v1/checkouts", json=payload, headers=headers)
    assert failed.status_code == 503
    assert failed.json()["dependency"] == "pricing"
    await shop.clear_faults("pricing")
    retried = await client.post("/v1/checkouts", json=payload, headers=headers)
    assert retried.status_code == 201


def item(sku: str = "SKU-BOTTLE-01", quantity: Any = 1) -> dict[str, Any]:
    return {"sku": sku, "quantity": quantity}


INVALID: list[tuple[str, dict[str, Any]]] = [
    ("unknown top-level field", body(coupon="FREE")),
    ("unknown nested field", body(payment={"token": "tok_visa", "pan": "4242424242424242"})),
    ("empty cart", body(items=[])),
    ("too many lines", body(items=[item()] * 51)),
    ("zero quantity", body(items=[item(quantity=0)])),
    ("negative quantity", body(items=[item(quantity=-3)])),
    ("huge quantity", body(items=[item(quantity=10**9)])),
    ("fractional quantity", body(items=[item(quantity=1.5)])),
    ("malformed sku", body(items=[item(sku="mug; DROP TABLE")])),
    ("lowercase currency", body(currency="eur")),
    ("long currency", body(currency="EURO")),
    ("bad country", body(shipping_address={**body()["shipping_address"], "country": "Germany"})),
    ("bad email", body(customer={"id": "cus_1", "email": "not-an-email"})),
    ("missing payment", {k: v for k, v in body().items() if k != "payment"}),
    ("empty name", body(shipping_address={**body()["shipping_address"], "name": ""})),
]


@pytest.mark.parametrize(("case", "payload"), INVALID, ids=[case for case, _ in INVALID])
async def test_invalid_input_is_a_validation_problem_and_changes_nothing(
    client: httpx.AsyncClient,
    shop: Any,
    checkout_db: asyncpg.Connection,
    case: str,
    payload: dict[str, Any],
) -> None:
    before = await shop.stock("SKU-BOTTLE-01")
    seen = await shop.requests_served("inventory")
    response = await client.post("/v1/checkouts", json=payload, headers=key())
    assert response.status_code == 422, case
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == PROBLEMS + "validation-error", case
    assert await checkout_db.fetchval("SELECT count(*) FROM orders") == 0
    assert await checkout_db.fetchval("SELECT count(*) FROM idempotency_keys") == 0
    assert await shop.requests_served("inventory") == seen
    assert await shop.stock("SKU-BOTTLE-01") == before


@pytest.mark.parametrize(
    ("headers", "slug"),
    [
        ({}, "idempotency-key-missing"),
        ({"Idempotency-Key": "short"}, "idempotency-key-invalid"),
        ({"Idempotency-Key": "x" * 256}, "idempotency-key-invalid"),
        ({"Idempotency-Key": "has spaces in it"}, "idempotency-key-invalid"),
    ],
)
async def test_a_missing_or_malformed_key_is_refused_before_anything_runs(
    client: httpx.AsyncClient, checkout_db: asyncpg.Connection, headers: dict[str, str], slug: str
) -> None:
    response = await client.post("/v1/checkouts", json=body(), headers=headers)
    assert response.status_code == 422
    assert response.json()["type"] == PROBLEMS + slug
    assert await checkout_db.fetchval("SELECT count(*) FROM orders") == 0


async def test_an_unknown_sku_is_a_404_naming_it_and_holds_nothing(
    client: httpx.AsyncClient, shop: Any
) -> None:
    seen = await shop.requests_served("inventory")
    response = await client.post(
        "/v1/checkouts", json=body(items=[item("SKU-NOPE-01")]), headers=key()
    )
    assert response.status_code == 404
    assert response.json()["type"] == PROBLEMS + "unknown-sku"
    assert response.json()["skus"] == ["SKU-NOPE-01"]
    assert await shop.requests_served("inventory") == seen


async def test_an_unknown_order_is_a_404_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/orders/ord_missing")
    assert response.status_code == 404
    assert response.json()["type"] == PROBLEMS + "order-not-found"


async def test_readiness_lists_the_database_and_each_breaker(client: httpx.AsyncClient) -> None:
    report = (await client.get("/health/ready")).json()
    assert report["status"] == "ready"
    assert report["checks"]["database"]["status"] == "up"
    assert report["checks"]["broker"]["reachable"] is True
    for name in ("pricing", "inventory", "payment"):
        assert report["checks"][f"breaker_{name}"]["state"] == "closed"
    metrics = (await client.get("/metrics")).text
    assert 'dependency_breaker_state{dependency="payment",state="closed"} 1.0' in metrics

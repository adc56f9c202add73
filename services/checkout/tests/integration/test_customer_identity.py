"""The customer at checkout's edge: the bearer token's subject owns the order, another
customer's order is as absent as an unknown one, keys are scoped per customer and expire."""

import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx
from checkout.application.key_expiry import purge_expired_keys
from checkout.settings import CheckoutSettings
from shop_servicekit import Database
from shop_testing.credentials import customer_bearer

from .test_idempotency_and_validation import body

PROBLEMS = "https://shop.example/problems/"


def key() -> str:
    return f"test-{uuid.uuid4().hex}"


async def test_the_owner_is_the_token_subject_and_no_one_else_sees_the_order(
    client: httpx.AsyncClient,
) -> None:
    ada, mallory = customer_bearer("cus_ada"), customer_bearer("cus_mallory")
    payload = body()
    del payload["customer"]["id"]  # the body needs no id: the token says who orders
    placed = await client.post(
        "/v1/checkouts", json=payload, headers={**ada, "Idempotency-Key": key()}
    )
    assert placed.status_code == 201, placed.text
    order_id = placed.json()["order_id"]

    mine = await client.get(f"/v1/orders/{order_id}", headers=ada)
    theirs = await client.get(f"/v1/orders/{order_id}", headers=mallory)
    cancel = await client.post(f"/v1/orders/{order_id}/cancel", headers=mallory)
    anonymous = await client.get(f"/v1/orders/{order_id}", auth=None)

    assert mine.status_code == 200
    assert (theirs.status_code, theirs.json()["type"]) == (404, PROBLEMS + "order-not-found")
    assert (cancel.status_code, cancel.json()["type"]) == (404, PROBLEMS + "order-not-found")
    assert anonymous.status_code == 401
    assert (await client.get(f"/v1/orders/{order_id}", headers=ada)).json()[
        "status"
    ] == mine.json()["status"]


async def test_a_body_naming_another_customer_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/checkouts",
        json=body("cus_victim"),
        headers={**customer_bearer("cus_mallory"), "Idempotency-Key": key()},
    )
    assert (response.status_code, response.json()["type"]) == (403, PROBLEMS + "customer-mismatch")


async def test_the_same_key_from_two_customers_makes_two_orders(
    client: httpx.AsyncClient, checkout_db: asyncpg.Connection
) -> None:
    shared = key()  # predictable, or pre-claimed by someone else: it blocks no one
    first = await client.post(
        "/v1/checkouts", json=body("cus_one"), headers={"Idempotency-Key": shared}
    )
    second = await client.post(
        "/v1/checkouts", json=body("cus_two"), headers={"Idempotency-Key": shared}
    )

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["order_id"] != second.json()["order_id"]
    assert "Idempotent-Replayed" not in second.headers
    stored = await checkout_db.fetch("SELECT key FROM idempotency_keys")
    assert shared not in {row["key"] for row in stored}  # stored scoped, never as sent


async def test_completed_keys_expire_and_are_purged(
    client: httpx.AsyncClient, settings: CheckoutSettings, checkout_db: asyncpg.Connection
) -> None:
    sent = key()
    payload = body()
    placed = await client.post("/v1/checkouts", json=payload, headers={"Idempotency-Key": sent})
    assert placed.status_code == 201
    db = Database(settings.database_url)
    try:
        day = timedelta(hours=24)
        now = datetime.now(UTC)
        assert await purge_expired_keys(db.sessions, ttl=day, clock=lambda: now, limit=10) == 0
        later = now + day + timedelta(minutes=1)
        assert await purge_expired_keys(db.sessions, ttl=day, clock=lambda: later, limit=10) == 1
    finally:
        await db.dispose()
    assert await checkout_db.fetchval("SELECT count(*) FROM idempotency_keys") == 0
    again = await client.post("/v1/checkouts", json=payload, headers={"Idempotency-Key": sent})
    assert again.status_code == 201
    assert again.json()["order_id"] != placed.json()["order_id"]  # a new checkout, not a replay

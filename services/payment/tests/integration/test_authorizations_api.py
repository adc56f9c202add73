import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from payment.adapters.repository import fingerprint
from shop_servicekit import Database
from sqlalchemy import text

PROBLEMS = "https://shop.example/problems/"
Snapshot = Callable[[], Awaitable[dict[str, Any]]]


def payment(order_id: str = "ord_1", token: str = "tok_visa", **overrides: Any) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "customer_id": "cus_1",
        "amount": 4_999,
        "currency": "EUR",
        "token": token,
        **overrides,
    }


async def test_an_approved_payment_is_authorized_and_readable(client: httpx.AsyncClient) -> None:
    created = await client.post("/v1/authorizations", json=payment())
    assert created.status_code == 201
    body = created.json()
    assert body["authorization_id"].startswith("auth_")
    assert (body["order_id"], body["status"]) == ("ord_1", "AUTHORIZED")
    assert body["amount"] == {"amount": 4_999, "currency": "EUR"}
    fetched = await client.get(f"/v1/authorizations/{body['authorization_id']}")
    assert fetched.json() == body


async def test_authorizing_the_same_order_again_returns_the_same_authorization(
    client: httpx.AsyncClient, snapshot: Snapshot
) -> None:
    first = await client.post("/v1/authorizations", json=payment())
    before = await snapshot()
    again = await client.post("/v1/authorizations", json=payment(token="tok_mastercard"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert await snapshot() == before


async def test_concurrent_attempts_for_one_order_make_one_authorization(
    client: httpx.AsyncClient,
) -> None:
    responses = await asyncio.gather(
        *(client.post("/v1/authorizations", json=payment()) for _ in range(5))
    )
    assert sorted(r.status_code for r in responses) == [200] * 4 + [201]
    assert len({r.json()["authorization_id"] for r in responses}) == 1


async def test_the_same_order_for_other_money_is_a_mismatch(
    client: httpx.AsyncClient, snapshot: Snapshot
) -> None:
    await client.post("/v1/authorizations", json=payment())
    before = await snapshot()
    response = await client.post("/v1/authorizations", json=payment(amount=5_000))
    assert response.status_code == 409
    assert response.json()["type"] == PROBLEMS + "authorization-mismatch"
    assert await snapshot() == before


async def test_a_declined_card_is_a_402_recorded_for_audit_and_may_be_retried(
    client: httpx.AsyncClient, db: Database
) -> None:
    declined = await client.post("/v1/authorizations", json=payment(token="tok_declined"))
    assert declined.status_code == 402
    assert declined.json()["type"] == PROBLEMS + "payment-declined"
    assert declined.json()["reason"] == "card-declined"
    retried = await client.post("/v1/authorizations", json=payment(token="tok_visa"))
    assert retried.status_code == 201
    async with db.sessions() as session:
        rows = (
            await session.execute(
                text(
                    "SELECT status, decline_reason, token_fingerprint FROM authorizations"
                    " ORDER BY created_at"
                )
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("DECLINED", "card-declined", fingerprint("tok_declined")),
        ("AUTHORIZED", None, fingerprint("tok_visa")),
    ]
    assert fingerprint("tok_visa") != "tok_visa"  # the raw token is never stored


async def test_fraud_is_a_402_that_does_not_say_which_rule_fired(
    client: httpx.AsyncClient, db: Database
) -> None:
    for body in (payment("ord_1", "tok_fraud"), payment("ord_2", amount=500_001)):
        response = await client.post("/v1/authorizations", json=body)
        assert response.status_code == 402
        assert response.json()["type"] == PROBLEMS + "fraud-suspected"
        assert "reason" not in response.json()
    async with db.sessions() as session:
        reasons = (
            await session.scalars(
                text("SELECT decline_reason FROM authorizations ORDER BY created_at")
            )
        ).all()
    assert reasons == ["fraud:fraud-token", "fraud:amount-limit"]


async def test_a_customer_attempting_too_often_is_stopped(client: httpx.AsyncClient) -> None:
    for i in range(5):
        assert (
            await client.post("/v1/authorizations", json=payment(f"ord_{i}"))
        ).status_code == 201
    sixth = await client.post("/v1/authorizations", json=payment("ord_6"))
    assert sixth.status_code == 402
    assert sixth.json()["type"] == PROBLEMS + "fraud-suspected"
    other = await client.post("/v1/authorizations", json=payment("ord_7", customer_id="cus_2"))
    assert other.status_code == 201


async def test_an_unknown_token_is_a_422_that_records_nothing(
    client: httpx.AsyncClient, snapshot: Snapshot
) -> None:
    before = await snapshot()
    response = await client.post("/v1/authorizations", json=payment(token="tok_nope"))
    assert response.status_code == 422
    assert response.json()["type"] == PROBLEMS + "invalid-token"
    assert await snapshot() == before


async def test_invalid_authorization_requests_are_validation_problems_that_change_nothing(
    client: httpx.AsyncClient, snapshot: Snapshot
) -> None:
    good = payment()
    cases: list[Any] = [
        {**good, "card_number": "4242424242424242"},
        {**good, "amount": 0},
        {**good, "amount": -1},
        {**good, "amount": 10**12},
        {**good, "amount": 12.5},
        {**good, "currency": "eur"},
        {**good, "currency": "EURO"},
        {**good, "order_id": "order-1"},
        {**good, "customer_id": ""},
        {**good, "token": ""},
        {k: v for k, v in good.items() if k != "token"},
        [],
    ]
    before = await snapshot()
    for body in cases:
        response = await client.post("/v1/authorizations", json=body)
        assert response.status_code == 422, body
        assert response.json()["type"] == PROBLEMS + "validation-error", body
    assert await snapshot() == before


async def test_void_lifts_the_authorization_once_and_is_idempotent(
    client: httpx.AsyncClient, db: Database
) -> None:
    authorized = (await client.post("/v1/authorizations", json=payment())).json()
    first = await client.post(f"/v1/authorizations/{authorized['authorization_id']}/void")
    again = await client.post(f"/v1/authorizations/{authorized['authorization_id']}/void")
    assert (first.status_code, again.status_code) == (200, 200)
    assert first.json()["status"] == "VOIDED"
    assert again.json() == first.json()
    async with db.sessions() as session:
        events = (await session.execute(text("SELECT type, key FROM outbox"))).all()
    assert [tuple(e) for e in events] == [("shop.payment.PaymentVoided.v1", "ord_1")]


async def test_void_by_order_finds_the_live_authorization(client: httpx.AsyncClient) -> None:
    await client.post("/v1/authorizations", json=payment(token="tok_declined"))
    authorized = (await client.post("/v1/authorizations", json=payment())).json()
    response = await client.post("/v1/authorizations/by-order/ord_1/void")
    assert response.status_code == 200
    assert response.json()["authorization_id"] == authorized["authorization_id"]
    assert response.json()["status"] == "VOIDED"
    assert (await client.post("/v1/authorizations/by-order/ord_1/void")).json() == response.json()


async def test_nothing_to_void_is_a_404_problem(
    client: httpx.AsyncClient, snapshot: Snapshot
) -> None:
    await client.post("/v1/authorizations", json=payment("ord_2", "tok_declined"))
    before = await snapshot()
    for response in (
        await client.get("/v1/authorizations/auth_missing"),
        await client.post("/v1/authorizations/auth_missing/void"),
        await client.post("/v1/authorizations/by-order/ord_missing/void"),
        await client.post("/v1/authorizations/by-order/ord_2/void"),
    ):
        assert response.status_code == 404
        assert response.json()["type"] == PROBLEMS + "authorization-not-found"
    assert await snapshot() == before


async def test_a_captured_authorization_cannot_be_voided(
    client: httpx.AsyncClient, db: Database, snapshot: Snapshot
) -> None:
    authorized = (await client.post("/v1/authorizations", json=payment())).json()
    async with db.sessions.begin() as session:
        await session.execute(
            text("UPDATE authorizations SET status = 'CAPTURED', captured_at = now()")
        )
    before = await snapshot()
    for response in (
        await client.post(f"/v1/authorizations/{authorized['authorization_id']}/void"),
        await client.post("/v1/authorizations/by-order/ord_1/void"),
    ):
        assert response.status_code == 409
        assert response.json()["type"] == PROBLEMS + "already-captured"
    assert await snapshot() == before


async def test_a_spent_budget_is_refused_before_any_work(
    client: httpx.AsyncClient, snapshot: Snapshot
) -> None:
    before = await snapshot()
    for remaining in ("0", "-1", "3"):
        response = await client.post(
            "/v1/authorizations", json=payment(), headers={"X-Budget-Remaining-Ms": remaining}
        )
        assert response.status_code == 503, remaining
        assert response.json()["type"] == PROBLEMS + "budget-exhausted"
    assert await snapshot() == before
    enough = await client.post(
        "/v1/authorizations", json=payment(), headers={"X-Budget-Remaining-Ms": "500"}
    )
    assert enough.status_code == 201

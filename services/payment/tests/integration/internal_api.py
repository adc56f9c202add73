"""Helpers of the tests of reconciliation's routes on Payment: arranged authorizations, the
admin header, the repair requests, problem assertions."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from payment.adapters import repository
from payment.domain.authorizations import Authorization, AuthorizationStatus
from shop_servicekit import Database
from shop_testing.credentials import bearer

PROBLEMS = "https://shop.example/problems/"
# Reconciliation's own credential (its internal routes accept nobody else).
ADMIN = bearer("reconciliation", "payment")
T0 = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
AMOUNT = {"amount": 4_999, "currency": "EUR"}


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


async def arrange(db: Database, *rows: tuple[str, str, float, AuthorizationStatus]) -> None:
    """(authorization_id, order_id, minutes after T0, status): each stored as that status
    would have it, captured or voided a minute after its creation."""
    async with db.sessions.begin() as session:
        for authorization_id, order_id, minutes, status in rows:
            authorization = Authorization(
                id=authorization_id,
                order_id=order_id,
                customer_id="cus_1",
                amount=4_999,
                currency="EUR",
                status=status,
                token="tok_visa",
                created_at=at(minutes),
                decline_reason="card-declined" if status is AuthorizationStatus.DECLINED else None,
                captured_at=at(minutes + 1) if status is AuthorizationStatus.CAPTURED else None,
                voided_at=at(minutes + 1) if status is AuthorizationStatus.VOIDED else None,
            )
            await repository.add(session, authorization)
            await repository.save_status(session, authorization)  # the stamps


async def read_all(client: httpx.AsyncClient, **params: str) -> tuple[list[dict[str, Any]], int]:
    """Every item of the window, following the cursor; and how many pages that took."""
    items: list[dict[str, Any]] = []
    pages = 0
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = await client.get("/internal/v1/authorizations", params=query, headers=ADMIN)
        assert response.status_code == 200, response.text
        page = response.json()
        pages += 1
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items, pages


async def authorize(
    client: httpx.AsyncClient, order_id: str = "ord_1", token: str = "tok_visa"
) -> httpx.Response:
    body = {
        "order_id": order_id,
        "customer_id": "cus_1",
        "amount": 4_999,
        "currency": "EUR",
        "token": token,
    }
    return await client.post("/v1/authorizations", json=body)


async def capture_repair(client: httpx.AsyncClient, order_id: str = "ord_1") -> httpx.Response:
    path = f"/internal/v1/authorizations/by-order/{order_id}/capture"
    return await client.post(path, headers=ADMIN)


async def void_repair(client: httpx.AsyncClient, order_id: str = "ord_1") -> httpx.Response:
    return await client.post(f"/v1/authorizations/by-order/{order_id}/void", headers=ADMIN)


def assert_problem(response: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert (problem["type"], problem["status"]) == (PROBLEMS + slug, status)
    return problem

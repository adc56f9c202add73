"""Helpers of the tests of reconciliation's routes on Communications: the admin header,
problem assertions, a known recipient, a resend request, what the outbox announced."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from communications.adapters import recipients
from communications.application.records import remember_recipient
from communications.domain.notifications import NotificationKind, Recipient
from shop_servicekit import Database
from shop_testing.credentials import bearer
from sqlalchemy import text

PROBLEMS = "https://shop.example/problems/"
# Reconciliation's own credential (its internal routes accept nobody else).
ADMIN = bearer("reconciliation", "communications")
T0 = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
CONFIRMED, SHIPPED, BACKORDERED = (
    NotificationKind.ORDER_CONFIRMED,
    NotificationKind.SHIPMENT_CREATED,
    NotificationKind.BACKORDER_DECLARED,
)
GRACE = {"customer_id": "cus_9", "email": "grace@example.com"}


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


async def known(db: Database, order_id: str = "ord_1", *, total: int | None = 2856) -> None:
    """The order's recipient, as OrderConfirmed leaves it (its email itself never sent)."""
    await remember_recipient(
        db.sessions,
        Recipient(
            order_id,
            "cus_1",
            "ada@example.com",
            T0,
            total_amount=total,
            total_currency=None if total is None else "EUR",
        ),
    )


async def resend(
    client: httpx.AsyncClient,
    kind: NotificationKind | str = CONFIRMED,
    order_id: str = "ord_1",
    **given: Any,
) -> httpx.Response:
    """`given`: the optional `recipient` and `total` the repairer may send."""
    body = {"order_id": order_id, "kind": str(kind), **given}
    return await client.post("/internal/v1/notifications/resend", json=body, headers=ADMIN)


async def stored_recipient(db: Database, order_id: str = "ord_1") -> Recipient | None:
    async with db.sessions() as session:
        return await recipients.recipient_for(session, order_id)


async def announced(db: Database) -> list[tuple[str, dict[str, Any]]]:
    async with db.sessions() as session:
        rows = await session.execute(text("SELECT type, payload FROM outbox ORDER BY id"))
        return [(row.type.split(".")[2], row.payload) for row in rows]


def assert_problem(response: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert (problem["type"], problem["status"]) == (PROBLEMS + slug, status)
    return problem


# --- GET /internal/v1/notifications --------------------------------------------------------


async def read_all(client: httpx.AsyncClient, **params: str) -> tuple[list[dict[str, Any]], int]:
    """Every item of the window, following the cursor; and how many pages that took."""
    items: list[dict[str, Any]] = []
    pages = 0
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = await client.get("/internal/v1/notifications", params=query, headers=ADMIN)
        assert response.status_code == 200, response.text
        page = response.json()
        pages += 1
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items, pages

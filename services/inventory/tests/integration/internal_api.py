"""Helpers of the tests of reconciliation's routes on Inventory: arranged reservations, the
admin header, the repair requests, what the outbox holds."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from inventory.adapters import repository
from inventory.application.expiry import expire_reservations
from inventory.domain.reservations import Reservation, ReservationStatus
from shop_messaging import Outbox
from shop_servicekit import Database
from shop_testing.credentials import bearer
from sqlalchemy import text

PROBLEMS = "https://shop.example/problems/"
# Reconciliation's own credential (its internal routes accept nobody else).
ADMIN = bearer("reconciliation", "inventory")
T0 = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


async def arrange(db: Database, *rows: tuple[str, float, ReservationStatus]) -> None:
    """(order_id, minutes after T0, status) -> reservation `res_<order_id>`, stamped as that
    status would have it a minute after creation (a confirmed hold when HELD)."""
    async with db.sessions.begin() as session:
        for order_id, minutes, status in rows:
            held = Reservation(
                id=f"res_{order_id}",
                order_id=order_id,
                status=ReservationStatus.HELD,
                lines=(("SKU-MUG-01", 1),),
                created_at=at(minutes),
                expires_at=at(minutes + 15),
            )
            await repository.add_reservation(session, held)
            ended = None if status is ReservationStatus.HELD else at(minutes + 1)
            await repository.save_status(
                session,
                replace(
                    held,
                    status=status,
                    confirmed_at=at(minutes + 0.5),
                    committed_at=ended if status is ReservationStatus.COMMITTED else None,
                    released_at=None if status is ReservationStatus.COMMITTED else ended,
                ),
            )


async def read_all(client: httpx.AsyncClient, **params: str) -> tuple[list[dict[str, Any]], int]:
    """Every item of the window, following the cursor; and how many pages that took."""
    items: list[dict[str, Any]] = []
    pages = 0
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = await client.get("/internal/v1/reservations", params=query, headers=ADMIN)
        assert response.status_code == 200, response.text
        page = response.json()
        pages += 1
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items, pages


async def commit_repair(client: httpx.AsyncClient, order_id: str = "ord_1") -> httpx.Response:
    return await client.post(f"/internal/v1/reservations/by-order/{order_id}/commit", headers=ADMIN)


async def release_repair(client: httpx.AsyncClient, order_id: str = "ord_1") -> httpx.Response:
    return await client.post(f"/v1/reservations/by-order/{order_id}/release", headers=ADMIN)


async def outbox(db: Database) -> list[tuple[str, str, dict[str, Any]]]:
    async with db.sessions() as session:
        rows = (
            await session.execute(text("SELECT type, key, payload FROM outbox ORDER BY id"))
        ).all()
    return [(row.type.split(".")[2], row.key, row.payload) for row in rows]


async def expire_all(db: Database) -> None:
    later = datetime.now(UTC) + timedelta(hours=1)
    assert await expire_reservations(db.sessions, Outbox(), clock=lambda: later, limit=10) == 1

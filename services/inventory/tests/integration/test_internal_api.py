"""Reconciliation's routes on Inventory (docs/reconciliation.md): the read of reservations,
the commit repair, and the release repair (the public release by order, repeated)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import httpx
import pytest
from inventory.adapters import repository
from inventory.application.expiry import expire_reservations
from inventory.application.orders import commit_reservation
from inventory.domain.reservations import Reservation, ReservationStatus
from shop_messaging import Outbox
from shop_servicekit import Database
from sqlalchemy import text

from ..conftest import Deliver, Snapshot
from .events import hold, shipment_created, stock

PROBLEMS = "https://shop.example/problems/"
ADMIN = {"Authorization": "Bearer dev-admin-token"}
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


# --- GET /internal/v1/reservations ---------------------------------------------------------


async def test_the_read_answers_each_reservation_created_in_the_window_with_its_fields(
    client: httpx.AsyncClient, db: Database
) -> None:
    await arrange(
        db,
        ("ord_early", -1, ReservationStatus.COMMITTED),
        ("ord_1", 0, ReservationStatus.HELD),
        ("ord_2", 1, ReservationStatus.COMMITTED),
        ("ord_3", 2, ReservationStatus.RELEASED),
        ("ord_4", 3, ReservationStatus.EXPIRED),
        ("ord_late", 4, ReservationStatus.HELD),
    )
    items, _ = await read_all(client, since=T0.isoformat(), until=at(4).isoformat())
    assert items == [
        {
            "reservation_id": "res_ord_1",
            "order_id": "ord_1",
            "status": "HELD",
            "created_at": "2026-11-21T12:00:00Z",
            "committed_at": None,
            "released_at": None,
            "confirmed_at": "2026-11-21T12:00:30Z",
        },
        {
            "reservation_id": "res_ord_2",
            "order_id": "ord_2",
            "status": "COMMITTED",
            "created_at": "2026-11-21T12:01:00Z",
            "committed_at": "2026-11-21T12:02:00Z",
            "released_at": None,
            "confirmed_at": "2026-11-21T12:01:30Z",
        },
        {
            "reservation_id": "res_ord_3",
            "order_id": "ord_3",
            "status": "RELEASED",
            "created_at": "2026-11-21T12:02:00Z",
            "committed_at": None,
            "released_at": "2026-11-21T12:03:00Z",
            "confirmed_at": "2026-11-21T12:02:30Z",
        },
        {
            "reservation_id": "res_ord_4",
            "order_id": "ord_4",
            "status": "EXPIRED",
            "created_at": "2026-11-21T12:03:00Z",
            "committed_at": None,
            "released_at": "2026-11-21T12:04:00Z",
            "confirmed_at": "2026-11-21T12:03:30Z",
        },
    ]


async def test_the_read_pages_in_creation_order_and_a_shared_timestamp_skips_none(
    client: httpx.AsyncClient, db: Database
) -> None:
    # Arranged out of order; ord_2 and ord_3 share a timestamp, so the id breaks the tie.
    created = [("ord_5", 3), ("ord_1", 0), ("ord_3", 1), ("ord_2", 1), ("ord_4", 2)]
    await arrange(db, *((o, m, ReservationStatus.HELD) for o, m in created))
    items, pages = await read_all(client, since=T0.isoformat(), limit="2")
    assert [item["order_id"] for item in items] == ["ord_1", "ord_2", "ord_3", "ord_4", "ord_5"]
    assert pages == 3


async def test_a_reservation_made_through_the_api_is_in_the_window_of_its_creation(
    client: httpx.AsyncClient,
) -> None:
    before = datetime.now(UTC)
    held = await hold(client, "ord_1")
    [item] = (await read_all(client, since=before.isoformat()))[0]
    assert (item["reservation_id"], item["status"]) == (held["reservation_id"], "HELD")
    assert item["created_at"] == held["created_at"]


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-the-token"}])
async def test_the_read_is_a_401_problem_without_the_admin_token(
    client: httpx.AsyncClient, db: Database, headers: dict[str, str]
) -> None:
    await arrange(db, ("ord_1", 0, ReservationStatus.HELD))
    response = await client.get(
        "/internal/v1/reservations", params={"since": T0.isoformat()}, headers=headers
    )
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == PROBLEMS + "unauthorized"


# --- POST /internal/v1/reservations/by-order/{order_id}/commit -----------------------------


async def test_the_commit_repair_commits_the_hold_and_takes_the_goods_off_the_books(
    client: httpx.AsyncClient, db: Database
) -> None:
    held = await hold(client, "ord_1", quantity=2)
    response = await commit_repair(client)

    assert response.status_code == 200
    body = response.json()
    assert (body["reservation_id"], body["status"]) == (held["reservation_id"], "COMMITTED")
    assert body["committed_at"] is not None
    assert await stock(client) == (498, 0)
    assert await outbox(db) == [
        (
            "ReservationCommitted",
            "ord_1",
            {"order_id": "ord_1", "reservation_id": held["reservation_id"]},
        )
    ]


async def test_repeating_the_commit_repair_is_a_200_that_changes_nothing(
    client: httpx.AsyncClient, snapshot: Snapshot
) -> None:
    await hold(client, "ord_1", quantity=2)
    first = await commit_repair(client)
    before = await snapshot()
    again = await commit_repair(client)
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    assert await snapshot() == before


async def test_the_commit_repair_after_shipment_created_was_handled_changes_nothing(
    client: httpx.AsyncClient, deliver: Deliver, snapshot: Snapshot
) -> None:
    await hold(client, "ord_1", quantity=2)
    handler = partial(commit_reservation, outbox=Outbox(), clock=lambda: T0)
    assert await deliver(handler, shipment_created("ord_1"))
    before = await snapshot()

    response = await commit_repair(client)
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["committed_at"]) == (
        "COMMITTED",
        "2026-11-21T12:00:00Z",
    )
    assert await snapshot() == before


async def test_a_shipment_created_arriving_after_the_commit_repair_changes_nothing(
    client: httpx.AsyncClient, deliver: Deliver, snapshot: Snapshot
) -> None:
    await hold(client, "ord_1", quantity=2)
    assert (await commit_repair(client)).status_code == 200
    before = await snapshot()
    handler = partial(commit_reservation, outbox=Outbox(), clock=lambda: T0)
    assert await deliver(handler, shipment_created("ord_1"))
    assert await snapshot() == before
    assert await stock(client) == (498, 0)


@pytest.mark.parametrize("ended", ["RELEASED", "EXPIRED"])
async def test_committing_a_hold_that_ended_is_a_409_problem_that_changes_nothing(
    ended: str, client: httpx.AsyncClient, db: Database, snapshot: Snapshot
) -> None:
    held = await hold(client, "ord_1")
    if ended == "RELEASED":
        assert (await release_repair(client)).status_code == 200
    else:
        await expire_all(db)
    before = await snapshot()

    response = await commit_repair(client)
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == PROBLEMS + "reservation-not-committable"
    assert problem["status"] == 409
    assert (problem["reservation_id"], problem["reservation_status"]) == (
        held["reservation_id"],
        ended,
    )
    assert await snapshot() == before


async def test_committing_for_an_order_that_holds_nothing_is_a_404_problem(
    client: httpx.AsyncClient, snapshot: Snapshot
) -> None:
    before = await snapshot()
    response = await commit_repair(client, "ord_missing")
    assert response.status_code == 404
    assert response.json()["type"] == PROBLEMS + "reservation-not-found"
    assert response.json()["order_id"] == "ord_missing"
    assert await snapshot() == before


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-the-token"}])
async def test_the_commit_repair_is_a_401_problem_without_the_admin_token(
    client: httpx.AsyncClient, snapshot: Snapshot, headers: dict[str, str]
) -> None:
    await hold(client, "ord_1")
    before = await snapshot()
    response = await client.post("/internal/v1/reservations/by-order/ord_1/commit", headers=headers)
    assert response.status_code == 401
    assert response.json()["type"] == PROBLEMS + "unauthorized"
    assert await snapshot() == before


# --- POST /v1/reservations/by-order/{order_id}/release (the release repair) ---------------


async def test_the_release_repair_gives_the_stock_back_once_and_a_repeat_is_a_200_no_op(
    client: httpx.AsyncClient, db: Database, snapshot: Snapshot
) -> None:
    held = await hold(client, "ord_1", quantity=2)
    first = await release_repair(client)
    before = await snapshot()
    again = await release_repair(client)

    assert (first.status_code, again.status_code) == (200, 200)
    assert first.json()["status"] == "RELEASED"
    assert again.json() == first.json()
    assert await snapshot() == before
    assert await stock(client) == (500, 0)
    assert await outbox(db) == [
        (
            "ReservationReleased",
            "ord_1",
            {
                "order_id": "ord_1",
                "reservation_id": held["reservation_id"],
                "reason": "released on request",
            },
        )
    ]


async def test_the_release_repair_on_an_expired_hold_is_a_200_no_op(
    client: httpx.AsyncClient, db: Database, snapshot: Snapshot
) -> None:
    await hold(client, "ord_1")
    await expire_all(db)
    before = await snapshot()
    response = await release_repair(client)
    assert response.status_code == 200
    assert response.json()["status"] == "EXPIRED"
    assert await snapshot() == before


async def test_the_release_repair_on_a_committed_hold_is_a_409_problem_that_changes_nothing(
    client: httpx.AsyncClient, snapshot: Snapshot
) -> None:
    await hold(client, "ord_1")
    assert (await commit_repair(client)).status_code == 200
    before = await snapshot()
    response = await release_repair(client)
    assert response.status_code == 409
    assert response.json()["type"] == PROBLEMS + "reservation-committed"
    assert await snapshot() == before

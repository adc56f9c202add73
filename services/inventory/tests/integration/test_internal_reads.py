"""Reconciliation's read of reservations on Inventory (docs/reconciliation.md)."""

from datetime import UTC, datetime

import httpx
import pytest
from inventory.domain.reservations import ReservationStatus
from shop_servicekit import Database

from .events import hold
from .internal_api import (
    PROBLEMS,
    T0,
    arrange,
    at,
    read_all,
)

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
async def test_the_read_is_a_401_problem_without_a_credential(
    client: httpx.AsyncClient, db: Database, headers: dict[str, str]
) -> None:
    await arrange(db, ("ord_1", 0, ReservationStatus.HELD))
    response = await client.get(
        "/internal/v1/reservations", params={"since": T0.isoformat()}, headers=headers, auth=None
    )
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == PROBLEMS + "unauthorized"

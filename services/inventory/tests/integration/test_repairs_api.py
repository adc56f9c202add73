"""Reconciliation's repairs on Inventory (docs/reconciliation.md): the commit repair and
the release repair (the public release by order, repeated)."""

from functools import partial

import httpx
import pytest
from inventory.application.orders import commit_reservation
from shop_messaging import Outbox
from shop_servicekit import Database

from ..conftest import Deliver, Snapshot
from .events import hold, shipment_created, stock
from .internal_api import (
    PROBLEMS,
    T0,
    commit_repair,
    expire_all,
    outbox,
    release_repair,
)

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
async def test_the_commit_repair_is_a_401_problem_without_a_credential(
    client: httpx.AsyncClient, snapshot: Snapshot, headers: dict[str, str]
) -> None:
    await hold(client, "ord_1")
    before = await snapshot()
    response = await client.post(
        "/internal/v1/reservations/by-order/ord_1/commit", headers=headers, auth=None
    )
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

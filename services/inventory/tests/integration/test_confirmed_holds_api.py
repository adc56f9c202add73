"""A hold under a confirmed order must not end silently: checkout's confirm call, the
refusal to answer an ended hold as held, and reconciliation's re-hold repair."""

from datetime import UTC, datetime, timedelta

import httpx
from inventory.application.expiry import expire_reservations
from shop_messaging import Outbox
from shop_servicekit import Database

from .events import hold, stock
from .internal_api import ADMIN, PROBLEMS, expire_all, release_repair


async def confirm(client: httpx.AsyncClient, order_id: str = "ord_1") -> httpx.Response:
    return await client.post(f"/v1/reservations/by-order/{order_id}/confirm")


async def rehold_repair(client: httpx.AsyncClient, order_id: str = "ord_1") -> httpx.Response:
    return await client.post(f"/internal/v1/reservations/by-order/{order_id}/rehold", headers=ADMIN)


async def test_a_confirmed_hold_outlives_its_ttl(client: httpx.AsyncClient, db: Database) -> None:
    await hold(client, "ord_1", quantity=2)
    first, again = await confirm(client), await confirm(client)
    assert (first.status_code, again.status_code) == (200, 200)
    assert first.json()["status"] == "HELD"
    assert again.json() == first.json()

    later = datetime.now(UTC) + timedelta(hours=1)
    assert await expire_reservations(db.sessions, Outbox(), clock=lambda: later, limit=10) == 0
    assert await stock(client) == (500, 2)


async def test_an_ended_hold_is_neither_confirmed_nor_answered_as_held(
    client: httpx.AsyncClient,
) -> None:
    await hold(client, "ord_1", quantity=2)
    assert (await release_repair(client)).status_code == 200

    refused = await confirm(client)
    assert refused.status_code == 409
    assert refused.json()["type"] == PROBLEMS + "reservation-ended"
    assert refused.json()["reservation_status"] == "RELEASED"
    # A late retry of the same checkout must not be told its stock is held.
    body = {"order_id": "ord_1", "items": [{"sku": "SKU-MUG-01", "quantity": 2}]}
    again = await client.post("/v1/reservations", json=body)
    assert again.status_code == 409
    assert again.json()["type"] == PROBLEMS + "reservation-ended"
    assert await stock(client) == (500, 0)
    assert (await confirm(client, "ord_unknown")).status_code == 404


async def test_the_rehold_repair_takes_an_expired_holds_stock_again_once(
    client: httpx.AsyncClient, db: Database
) -> None:
    await hold(client, "ord_1", quantity=2)
    await expire_all(db)
    assert await stock(client) == (500, 0)

    first, again = await rehold_repair(client), await rehold_repair(client)
    assert (first.status_code, again.status_code) == (200, 200)
    assert (first.json()["status"], first.json()["released_at"]) == ("HELD", None)
    assert await stock(client) == (500, 2)
    # Held again for good: the sweep leaves it.
    later = datetime.now(UTC) + timedelta(hours=2)
    assert await expire_reservations(db.sessions, Outbox(), clock=lambda: later, limit=10) == 0


async def test_the_rehold_repair_refuses_when_the_stock_went_elsewhere(
    client: httpx.AsyncClient, db: Database
) -> None:
    await hold(client, "ord_1", quantity=2)
    await expire_all(db)
    await hold(client, "ord_2", quantity=499)

    refused = await rehold_repair(client)
    assert refused.status_code == 409
    assert refused.json()["type"] == PROBLEMS + "out-of-stock"
    assert refused.json()["skus"] == ["SKU-MUG-01"]
    assert await stock(client) == (500, 499)
    assert (await rehold_repair(client, "ord_unknown")).status_code == 404
    anonymous = await client.post("/internal/v1/reservations/by-order/ord_1/rehold", auth=None)
    assert anonymous.status_code == 401

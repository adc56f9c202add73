import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from shop_servicekit import Database
from sqlalchemy import text

PROBLEMS = "https://shop.example/problems/"
Snapshot = Callable[[], Awaitable[dict[str, Any]]]


def reservation(order_id: str = "ord_1", **items: int) -> dict[str, Any]:
    lines = [{"sku": sku.replace("_", "-"), "quantity": q} for sku, q in items.items()]
    return {
        "order_id": order_id,
        "items": lines or [{"sku": "SKU-MUG-01", "quantity": 2}],
        "ttl_seconds": 600,
    }


async def stock(client: httpx.AsyncClient, sku: str) -> dict[str, Any]:
    response = await client.get(f"/v1/stock/{sku}")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


async def test_stock_shows_on_hand_reserved_and_available(client: httpx.AsyncClient) -> None:
    assert await stock(client, "SKU-PRINT-01") == {
        "sku": "SKU-PRINT-01",
        "on_hand": 3,
        "reserved": 0,
        "available": 3,
    }


async def test_stock_of_an_unknown_sku_is_a_404_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/stock/SKU-NOPE-01")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == PROBLEMS + "unknown-sku"
    assert response.json()["skus"] == ["SKU-NOPE-01"]


async def test_a_reservation_holds_every_line_and_is_readable(client: httpx.AsyncClient) -> None:
    created = await client.post("/v1/reservations", json=reservation(SKU_MUG_01=2, SKU_PRINT_01=3))
    assert created.status_code == 201
    body = created.json()
    assert body["reservation_id"].startswith("res_")
    assert (body["order_id"], body["status"]) == ("ord_1", "HELD")
    assert body["items"] == [
        {"sku": "SKU-MUG-01", "quantity": 2},
        {"sku": "SKU-PRINT-01", "quantity": 3},
    ]
    assert (await stock(client, "SKU-PRINT-01"))["available"] == 0
    assert (await stock(client, "SKU-MUG-01"))["reserved"] == 2

    fetched = await client.get(f"/v1/reservations/{body['reservation_id']}")
    assert fetched.status_code == 200
    assert fetched.json() == body


async def test_reserving_again_for_the_same_order_returns_the_same_hold(
    client: httpx.AsyncClient,
) -> None:
    first = await client.post("/v1/reservations", json=reservation(SKU_MUG_01=2))
    again = await client.post("/v1/reservations", json=reservation(SKU_MUG_01=2))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert (await stock(client, "SKU-MUG-01"))["reserved"] == 2


async def test_concurrent_requests_for_one_order_make_one_hold(client: httpx.AsyncClient) -> None:
    responses = await asyncio.gather(
        *(client.post("/v1/reservations", json=reservation(SKU_MUG_01=1)) for _ in range(10))
    )
    assert sorted(r.status_code for r in responses) == [200] * 9 + [201]
    assert len({r.json()["reservation_id"] for r in responses}) == 1
    assert (await stock(client, "SKU-MUG-01"))["reserved"] == 1


async def test_the_same_order_for_other_items_is_a_conflict(
    client: httpx.AsyncClient, snapshot: Snapshot
) -> None:
    await client.post("/v1/reservations", json=reservation(SKU_MUG_01=2))
    before = await snapshot()
    response = await client.post("/v1/reservations", json=reservation(SKU_MUG_01=3))
    assert response.status_code == 409
    assert response.json()["type"] == PROBLEMS + "reservation-conflict"
    assert await snapshot() == before


async def test_out_of_stock_names_every_short_sku_and_holds_nothing(
    client: httpx.AsyncClient, snapshot: Snapshot
) -> None:
    before = await snapshot()
    response = await client.post(
        "/v1/reservations", json=reservation(SKU_MUG_01=1, SKU_PRINT_01=4, SKU_LAMP_01=41)
    )
    assert response.status_code == 409
    problem = response.json()
    assert problem["type"] == PROBLEMS + "out-of-stock"
    assert problem["skus"] == ["SKU-LAMP-01", "SKU-PRINT-01"]
    assert problem["shortages"] == [
        {"sku": "SKU-LAMP-01", "requested": 41, "available": 40},
        {"sku": "SKU-PRINT-01", "requested": 4, "available": 3},
    ]
    assert await snapshot() == before


async def test_unknown_skus_are_a_404_problem_naming_them_and_hold_nothing(
    client: httpx.AsyncClient, snapshot: Snapshot
) -> None:
    before = await snapshot()
    response = await client.post(
        "/v1/reservations", json=reservation(SKU_MUG_01=1, SKU_NOPE_02=1, SKU_NOPE_01=1)
    )
    assert response.status_code == 404
    assert response.json()["type"] == PROBLEMS + "unknown-sku"
    assert response.json()["skus"] == ["SKU-NOPE-01", "SKU-NOPE-02"]
    assert await snapshot() == before


async def test_invalid_reservation_requests_are_validation_problems_that_change_nothing(
    client: httpx.AsyncClient, snapshot: Snapshot
) -> None:
    good = reservation(SKU_MUG_01=1)
    line = {"sku": "SKU-MUG-01", "quantity": 1}
    cases: list[Any] = [
        {**good, "unexpected": True},
        {**good, "items": []},
        {**good, "items": [line] * 51},
        {**good, "items": [{**line, "quantity": 0}]},
        {**good, "items": [{**line, "quantity": -1}]},
        {**good, "items": [{**line, "quantity": 10**6}]},
        {**good, "items": [{**line, "colour": "red"}]},
        {**good, "items": [{**line, "sku": "mug"}]},
        {**good, "order_id": "not-an-order"},
        {**good, "ttl_seconds": 0},
        {**good, "ttl_seconds": 10**9},
        {k: v for k, v in good.items() if k != "items"},
        [],
    ]
    before = await snapshot()
    for body in cases:
        response = await client.post("/v1/reservations", json=body)
        assert response.status_code == 422, body
        assert response.json()["type"] == PROBLEMS + "validation-error", body
    assert await snapshot() == before


async def test_release_gives_the_stock_back_once_and_is_idempotent(
    client: httpx.AsyncClient, db: Database
) -> None:
    held = (await client.post("/v1/reservations", json=reservation(SKU_PRINT_01=3))).json()
    first = await client.delete(f"/v1/reservations/{held['reservation_id']}")
    again = await client.delete(f"/v1/reservations/{held['reservation_id']}")
    assert (first.status_code, again.status_code) == (200, 200)
    assert first.json()["status"] == "RELEASED"
    assert again.json() == first.json()
    assert (await stock(client, "SKU-PRINT-01"))["available"] == 3
    async with db.sessions() as session:
        events = (await session.execute(text("SELECT type, key FROM outbox"))).all()
    assert [tuple(e) for e in events] == [("shop.inventory.ReservationReleased.v1", "ord_1")]


async def test_release_by_order_id_finds_the_hold(client: httpx.AsyncClient) -> None:
    held = (await client.post("/v1/reservations", json=reservation("ord_2", SKU_PRINT_01=2))).json()
    response = await client.post("/v1/reservations/by-order/ord_2/release")
    assert response.status_code == 200
    assert response.json()["reservation_id"] == held["reservation_id"]
    assert response.json()["status"] == "RELEASED"
    assert (await client.post("/v1/reservations/by-order/ord_2/release")).json() == response.json()
    assert (await stock(client, "SKU-PRINT-01"))["reserved"] == 0


async def test_unknown_reservations_are_404_problems(client: httpx.AsyncClient) -> None:
    for response in (
        await client.get("/v1/reservations/res_missing"),
        await client.delete("/v1/reservations/res_missing"),
        await client.post("/v1/reservations/by-order/ord_missing/release"),
    ):
        assert response.status_code == 404
        assert response.json()["type"] == PROBLEMS + "reservation-not-found"


async def test_a_committed_reservation_cannot_be_released(
    client: httpx.AsyncClient, db: Database, snapshot: Snapshot
) -> None:
    held = (await client.post("/v1/reservations", json=reservation(SKU_MUG_01=1))).json()
    async with db.sessions.begin() as session:
        await session.execute(text("UPDATE reservations SET status = 'COMMITTED'"))
    before = await snapshot()
    for response in (
        await client.delete(f"/v1/reservations/{held['reservation_id']}"),
        await client.post("/v1/reservations/by-order/ord_1/release"),
    ):
        assert response.status_code == 409
        assert response.json()["type"] == PROBLEMS + "reservation-committed"
    assert await snapshot() == before


async def test_racing_reservations_for_the_last_units_never_oversell(
    client: httpx.AsyncClient, db: Database
) -> None:
    async with db.sessions.begin() as session:
        await session.execute(text("UPDATE stock_items SET on_hand = 5 WHERE sku = 'SKU-MUG-01'"))
    responses = await asyncio.gather(
        *(
            client.post("/v1/reservations", json=reservation(f"ord_r{i}", SKU_MUG_01=1))
            for i in range(30)
        )
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [201] * 5 + [409] * 25
    assert {r.json()["type"] for r in responses if r.status_code == 409} == {
        PROBLEMS + "out-of-stock"
    }
    level = await stock(client, "SKU-MUG-01")
    assert (level["on_hand"], level["reserved"], level["available"]) == (5, 5, 0)


async def test_a_spent_budget_is_refused_before_any_work(
    client: httpx.AsyncClient, snapshot: Snapshot
) -> None:
    before = await snapshot()
    for remaining in ("0", "-20", "2"):
        response = await client.post(
            "/v1/reservations", json=reservation(), headers={"X-Budget-Remaining-Ms": remaining}
        )
        assert response.status_code == 503, remaining
        assert response.json()["type"] == PROBLEMS + "budget-exhausted"
    assert await snapshot() == before
    malformed = await client.post(
        "/v1/reservations", json=reservation(), headers={"X-Budget-Remaining-Ms": "soon"}
    )
    assert malformed.json()["type"] == PROBLEMS + "validation-error"
    enough = await client.post(
        "/v1/reservations", json=reservation(), headers={"X-Budget-Remaining-Ms": "800"}
    )
    assert enough.status_code == 201

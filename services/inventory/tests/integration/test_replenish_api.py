import asyncio
from typing import Any

import httpx
from shop_servicekit import Database
from shop_testing.credentials import bearer
from sqlalchemy import text

from ..conftest import Snapshot
from .events import stock

PROBLEMS = "https://shop.example/problems/"
ADMIN = bearer("operator", "inventory")


async def replenish(
    client: httpx.AsyncClient, sku: str = "SKU-LAMP-01", key: str | None = None, **body: Any
) -> httpx.Response:
    headers = {**ADMIN, **({"Idempotency-Key": key} if key else {})}
    return await client.post(
        f"/v1/stock/{sku}/replenish", json={"quantity": 5, **body}, headers=headers
    )


async def outbox(db: Database) -> list[tuple[str, str, dict[str, Any]]]:
    async with db.sessions() as session:
        rows = (
            await session.execute(text("SELECT type, key, payload FROM outbox ORDER BY id"))
        ).all()
    return [(row.type.split(".")[2], row.key, row.payload) for row in rows]


async def test_replenishing_adds_to_on_hand_and_says_so(
    client: httpx.AsyncClient, db: Database
) -> None:
    await client.post(
        "/v1/reservations",
        json={"order_id": "ord_1", "items": [{"sku": "SKU-LAMP-01", "quantity": 4}]},
    )
    response = await replenish(client, quantity=10, reference="PO-1001")

    assert response.status_code == 201
    body = response.json()
    assert body["receipt_id"].startswith("rcp_")
    assert (body["sku"], body["quantity"], body["reference"]) == ("SKU-LAMP-01", 10, "PO-1001")
    assert body["stock"] == {"sku": "SKU-LAMP-01", "on_hand": 50, "reserved": 4, "available": 46}
    assert await stock(client, "SKU-LAMP-01") == (50, 4)
    assert await outbox(db) == [
        (
            "StockReplenished",
            "SKU-LAMP-01",  # keyed by SKU: one SKU's receipts stay in order
            {"sku": "SKU-LAMP-01", "quantity": 10, "available": 46},
        )
    ]


async def test_a_retry_with_the_same_idempotency_key_adds_nothing_twice(
    client: httpx.AsyncClient, db: Database
) -> None:
    first = await replenish(client, key="receipt-0001", quantity=3)
    again = await replenish(client, key="receipt-0001", quantity=3)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["receipt_id"] == first.json()["receipt_id"]
    assert await stock(client, "SKU-LAMP-01") == (43, 0)
    assert len(await outbox(db)) == 1


async def test_racing_retries_with_one_key_record_one_receipt(
    client: httpx.AsyncClient, db: Database
) -> None:
    responses = await asyncio.gather(
        *(replenish(client, key="receipt-0002", quantity=2) for _ in range(8))
    )
    assert sorted(r.status_code for r in responses) == [200] * 7 + [201]
    assert len({r.json()["receipt_id"] for r in responses}) == 1
    assert await stock(client, "SKU-LAMP-01") == (42, 0)
    assert len(await outbox(db)) == 1


async def test_a_key_reused_for_other_goods_is_a_conflict_that_changes_nothing(
    client: httpx.AsyncClient, snapshot: Snapshot
) -> None:
    await replenish(client, key="receipt-0003", quantity=3)
    before = await snapshot()
    for response in (
        await replenish(client, key="receipt-0003", quantity=4),
        await replenish(client, "SKU-MUG-01", key="receipt-0003", quantity=3),
    ):
        assert response.status_code == 409
        assert response.json()["type"] == PROBLEMS + "idempotency-key-reused"
    assert await snapshot() == before


async def test_without_a_key_every_call_is_a_new_receipt(client: httpx.AsyncClient) -> None:
    assert (await replenish(client, quantity=1)).status_code == 201
    assert (await replenish(client, quantity=1)).status_code == 201
    assert await stock(client, "SKU-LAMP-01") == (42, 0)


async def test_replenishing_needs_a_credential(
    client: httpx.AsyncClient, snapshot: Snapshot
) -> None:
    before = await snapshot()
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        response = await client.post(
            "/v1/stock/SKU-LAMP-01/replenish", json={"quantity": 5}, headers=headers, auth=None
        )
        assert response.status_code == 401
        assert response.json()["type"] == PROBLEMS + "unauthorized"
    assert await snapshot() == before


async def test_an_unknown_sku_is_a_404_problem(
    client: httpx.AsyncClient, snapshot: Snapshot
) -> None:
    before = await snapshot()
    response = await replenish(client, "SKU-NOPE-01", key="receipt-0004")
    assert response.status_code == 404
    assert response.json()["type"] == PROBLEMS + "unknown-sku"
    assert response.json()["skus"] == ["SKU-NOPE-01"]
    assert await snapshot() == before


async def test_invalid_replenishments_are_validation_problems_that_change_nothing(
    client: httpx.AsyncClient, snapshot: Snapshot
) -> None:
    before = await snapshot()
    for body in ({"quantity": 0}, {"quantity": 100_001}, {"quantity": 1, "colour": "red"}, {}):
        response = await client.post("/v1/stock/SKU-LAMP-01/replenish", json=body, headers=ADMIN)
        assert response.status_code == 422, body
        assert response.json()["type"] == PROBLEMS + "validation-error", body
    short_key = await replenish(client, key="short")
    assert short_key.status_code == 422
    assert short_key.json()["type"] == PROBLEMS + "idempotency-key-invalid"
    assert await snapshot() == before

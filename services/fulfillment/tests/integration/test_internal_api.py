"""Reconciliation's reads of shipments and backorders (docs/reconciliation.md)."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fulfillment.adapters import shipments
from fulfillment.domain.allocation import Line
from fulfillment.domain.shipments import Backorder, BackorderStatus, Shipment, ShipmentStatus
from shop_servicekit import Database
from shop_testing.credentials import bearer

PROBLEMS = "https://shop.example/problems/"
ADMIN = bearer("reconciliation", "fulfillment")
T0 = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


async def add_shipments(db: Database, *rows: tuple[str, float, ShipmentStatus, str]) -> None:
    """(order_id, minutes after T0, status, warehouse_id) -> shipment `shp_<order_id>`."""
    async with db.sessions.begin() as session:
        for order_id, minutes, status, warehouse_id in rows:
            await shipments.add_shipment(
                session,
                Shipment(
                    id=f"shp_{order_id}",
                    order_id=order_id,
                    warehouse_id=warehouse_id,
                    status=status,
                    lines=(Line("SKU-MUG-01", 1),),
                    created_at=at(minutes),
                    carrier="DHL" if status is ShipmentStatus.DISPATCHED else None,
                    tracking="DHL-1" if status is ShipmentStatus.DISPATCHED else None,
                    dispatched_at=at(minutes + 1) if status is ShipmentStatus.DISPATCHED else None,
                ),
            )


async def add_backorders(db: Database, *rows: tuple[str, float, BackorderStatus]) -> None:
    """(order_id, minutes after T0, status) -> backorder `bo_<order_id>`."""
    async with db.sessions.begin() as session:
        for order_id, minutes, status in rows:
            await shipments.add_backorder(
                session,
                Backorder(
                    id=f"bo_{order_id}",
                    order_id=order_id,
                    status=status,
                    skus_short=("SKU-LAMP-01",),
                    lines=(Line("SKU-LAMP-01", 1),),
                    created_at=at(minutes),
                    released_at=at(minutes + 1) if status is BackorderStatus.RELEASED else None,
                    cancelled_at=at(minutes + 1) if status is BackorderStatus.CANCELLED else None,
                ),
            )


async def read_all(
    client: httpx.AsyncClient, path: str, **params: str
) -> tuple[list[dict[str, Any]], int]:
    """Every item of the window, following the cursor; and how many pages that took."""
    items: list[dict[str, Any]] = []
    pages = 0
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = await client.get(path, params=query, headers=ADMIN)
        assert response.status_code == 200, response.text
        page = response.json()
        pages += 1
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items, pages


async def test_the_shipments_read_answers_each_shipment_created_in_the_window_with_its_fields(
    client: httpx.AsyncClient, db: Database
) -> None:
    await add_shipments(
        db,
        ("ord_early", -1, ShipmentStatus.DISPATCHED, "wh_berlin"),
        ("ord_1", 0, ShipmentStatus.DISPATCHED, "wh_berlin"),
        ("ord_2", 5, ShipmentStatus.CREATED, "wh_rotterdam"),
        ("ord_late", 10, ShipmentStatus.CREATED, "wh_berlin"),
    )
    items, _ = await read_all(
        client, "/internal/v1/shipments", since=T0.isoformat(), until=at(10).isoformat()
    )
    assert items == [
        {
            "shipment_id": "shp_ord_1",
            "order_id": "ord_1",
            "status": "DISPATCHED",
            "warehouse_id": "wh_berlin",
            "created_at": "2026-11-21T12:00:00Z",
        },
        {
            "shipment_id": "shp_ord_2",
            "order_id": "ord_2",
            "status": "CREATED",
            "warehouse_id": "wh_rotterdam",
            "created_at": "2026-11-21T12:05:00Z",
        },
    ]


async def test_shipments_page_in_creation_order_and_a_shared_timestamp_skips_none(
    client: httpx.AsyncClient, db: Database
) -> None:
    # Inserted out of order; ord_2 and ord_3 share a timestamp, so the id breaks the tie.
    created = [("ord_5", 3), ("ord_1", 0), ("ord_3", 1), ("ord_2", 1), ("ord_4", 2)]
    await add_shipments(db, *((o, m, ShipmentStatus.CREATED, "wh_berlin") for o, m in created))
    items, pages = await read_all(client, "/internal/v1/shipments", since=T0.isoformat(), limit="2")
    assert [item["order_id"] for item in items] == ["ord_1", "ord_2", "ord_3", "ord_4", "ord_5"]
    assert pages == 3


async def test_the_backorders_read_answers_each_backorder_created_in_the_window_with_its_fields(
    client: httpx.AsyncClient, db: Database
) -> None:
    await add_backorders(
        db,
        ("ord_early", -0.5, BackorderStatus.OPEN),
        ("ord_1", 0, BackorderStatus.OPEN),
        ("ord_2", 1, BackorderStatus.RELEASED),
        ("ord_3", 2, BackorderStatus.CANCELLED),
        ("ord_late", 3, BackorderStatus.OPEN),
    )
    items, _ = await read_all(
        client, "/internal/v1/backorders", since=T0.isoformat(), until=at(3).isoformat()
    )
    assert items == [
        {
            "backorder_id": "bo_ord_1",
            "order_id": "ord_1",
            "status": "OPEN",
            "created_at": "2026-11-21T12:00:00Z",
        },
        {
            "backorder_id": "bo_ord_2",
            "order_id": "ord_2",
            "status": "RELEASED",
            "created_at": "2026-11-21T12:01:00Z",
        },
        {
            "backorder_id": "bo_ord_3",
            "order_id": "ord_3",
            "status": "CANCELLED",
            "created_at": "2026-11-21T12:02:00Z",
        },
    ]


async def test_backorders_page_in_creation_order_and_a_shared_timestamp_skips_none(
    client: httpx.AsyncClient, db: Database
) -> None:
    created = [("ord_3", 1), ("ord_1", 0), ("ord_2", 1)]
    await add_backorders(db, *((o, m, BackorderStatus.OPEN) for o, m in created))
    items, pages = await read_all(
        client, "/internal/v1/backorders", since=T0.isoformat(), limit="1"
    )
    assert [item["backorder_id"] for item in items] == ["bo_ord_1", "bo_ord_2", "bo_ord_3"]
    assert pages == 3


async def test_an_empty_window_is_an_empty_last_page(client: httpx.AsyncClient) -> None:
    for path in ("/internal/v1/shipments", "/internal/v1/backorders"):
        response = await client.get(path, params={"since": T0.isoformat()}, headers=ADMIN)
        assert response.json() == {"items": [], "next_cursor": None}, path


@pytest.mark.parametrize("path", ["/internal/v1/shipments", "/internal/v1/backorders"])
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-the-token"}])
async def test_the_reads_are_a_401_problem_without_a_credential(
    client: httpx.AsyncClient, db: Database, path: str, headers: dict[str, str]
) -> None:
    await add_shipments(db, ("ord_1", 0, ShipmentStatus.CREATED, "wh_berlin"))
    await add_backorders(db, ("ord_2", 0, BackorderStatus.OPEN))
    response = await client.get(path, params={"since": T0.isoformat()}, headers=headers, auth=None)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == PROBLEMS + "unauthorized"
    assert "items" not in response.json()


async def test_a_window_without_since_or_with_a_forged_cursor_is_a_422_problem(
    client: httpx.AsyncClient,
) -> None:
    missing = await client.get("/internal/v1/shipments", headers=ADMIN)
    forged = await client.get(
        "/internal/v1/backorders",
        params={"since": T0.isoformat(), "cursor": "forged"},
        headers=ADMIN,
    )
    assert (missing.status_code, forged.status_code) == (422, 422)
    assert missing.json()["type"] == PROBLEMS + "validation-error"
    assert forged.json()["type"] == PROBLEMS + "invalid-cursor"

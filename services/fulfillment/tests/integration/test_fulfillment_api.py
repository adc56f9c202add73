from datetime import UTC, datetime

import httpx
from fulfillment.adapters import shipments
from fulfillment.domain.allocation import Line
from fulfillment.domain.shipments import Backorder, BackorderStatus, Shipment, ShipmentStatus
from shop_servicekit import Database

PROBLEMS = "https://shop.example/problems/"
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


async def test_warehouses_are_seeded_in_priority_order_with_their_bin_stock(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/v1/warehouses")
    assert response.status_code == 200
    berlin, rotterdam = response.json()["warehouses"]
    assert (berlin["warehouse_id"], berlin["country"], berlin["priority"]) == ("wh_berlin", "DE", 1)
    assert (rotterdam["warehouse_id"], rotterdam["name"]) == ("wh_rotterdam", "Rotterdam")
    stock = {
        w["warehouse_id"]: {s["sku"]: s["on_hand"] for s in w["stock"]} for w in (berlin, rotterdam)
    }
    assert len(stock["wh_berlin"]) == 10
    assert stock["wh_berlin"]["SKU-LAMP-01"] == stock["wh_rotterdam"]["SKU-LAMP-01"] == 0
    assert stock["wh_berlin"]["SKU-PRINT-01"] + stock["wh_rotterdam"]["SKU-PRINT-01"] == 3
    assert stock["wh_berlin"]["SKU-MUG-01"] > 0


async def test_a_recorded_shipment_is_readable_by_id_and_by_order(
    client: httpx.AsyncClient, db: Database
) -> None:
    shipment = Shipment(
        id="shp_1",
        order_id="ord_1",
        warehouse_id="wh_berlin",
        status=ShipmentStatus.CREATED,
        lines=(Line("SKU-MUG-01", 2), Line("SKU-TEE-01", 1)),
        created_at=NOW,
    )
    async with db.sessions.begin() as session:
        await shipments.add_shipment(session, shipment)

    by_id = await client.get("/v1/shipments/shp_1")
    assert by_id.status_code == 200
    assert by_id.json() == {
        "shipment_id": "shp_1",
        "order_id": "ord_1",
        "warehouse_id": "wh_berlin",
        "status": "CREATED",
        "carrier": None,
        "tracking": None,
        "lines": [{"sku": "SKU-MUG-01", "quantity": 2}, {"sku": "SKU-TEE-01", "quantity": 1}],
        "created_at": "2026-11-21T12:00:00Z",
        "dispatched_at": None,
    }
    by_order = await client.get("/v1/shipments", params={"order_id": "ord_1"})
    assert by_order.json() == {"shipments": [by_id.json()]}


async def test_an_order_with_no_shipment_lists_none(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/shipments", params={"order_id": "ord_unknown"})
    assert response.status_code == 200
    assert response.json() == {"shipments": []}


async def test_a_recorded_backorder_is_readable_by_order_and_by_id(
    client: httpx.AsyncClient, db: Database
) -> None:
    backorder = Backorder(
        id="bo_1",
        order_id="ord_2",
        status=BackorderStatus.OPEN,
        skus_short=("SKU-LAMP-01",),
        lines=(Line("SKU-LAMP-01", 1), Line("SKU-MUG-01", 1)),
        created_at=NOW,
    )
    async with db.sessions.begin() as session:
        await shipments.add_backorder(session, backorder)

    response = await client.get("/v1/backorders", params={"order_id": "ord_2"})
    assert response.status_code == 200
    [found] = response.json()["backorders"]
    assert found["backorder_id"] == "bo_1"
    assert found["status"] == "OPEN"
    assert found["skus_short"] == ["SKU-LAMP-01"]
    assert found["lines"] == [
        {"sku": "SKU-LAMP-01", "quantity": 1},
        {"sku": "SKU-MUG-01", "quantity": 1},
    ]
    assert (await client.get("/v1/backorders/bo_1")).json() == found


async def test_missing_shipments_and_backorders_are_specific_404_problems(
    client: httpx.AsyncClient,
) -> None:
    for path, slug in [
        ("/v1/shipments/shp_missing", "shipment-not-found"),
        ("/v1/backorders/bo_missing", "backorder-not-found"),
    ]:
        response = await client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"] == PROBLEMS + slug


async def test_listing_without_an_order_id_is_a_validation_problem(
    client: httpx.AsyncClient,
) -> None:
    for path in ("/v1/shipments", "/v1/backorders"):
        response = await client.get(path)
        assert response.status_code == 422, path
        assert response.json()["type"] == PROBLEMS + "validation-error"

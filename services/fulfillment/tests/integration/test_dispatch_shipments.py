import asyncio
from datetime import timedelta
from functools import partial

import httpx
from fulfillment.application.allocation import allocate_order
from fulfillment.application.dispatch import dispatch_shipments
from shop_messaging import Outbox
from shop_servicekit import Database
from sqlalchemy import text

from ..conftest import Deliver
from .events import NOW, order_confirmed, outbox

DELAY = timedelta(seconds=1)
allocate = partial(allocate_order, outbox=Outbox(), clock=lambda: NOW)


async def dispatch(db: Database, *, after: float, limit: int = 10) -> int:
    """One dispatch pass `after` seconds past the moment the shipments were created."""
    return await dispatch_shipments(
        db.sessions,
        Outbox(),
        clock=lambda: NOW + timedelta(seconds=after),
        delay=DELAY,
        limit=limit,
    )


async def shipment(client: httpx.AsyncClient, order_id: str) -> dict[str, str]:
    response = await client.get("/v1/shipments", params={"order_id": order_id})
    [found] = response.json()["shipments"]
    return dict(found)


async def test_a_shipment_is_dispatched_once_its_delay_has_passed(
    deliver: Deliver, db: Database, client: httpx.AsyncClient
) -> None:
    assert await deliver(allocate, order_confirmed("ord_1", SKU_MUG_01=1))
    assert await dispatch(db, after=0.5) == 0
    assert (await shipment(client, "ord_1"))["status"] == "CREATED"

    assert await dispatch(db, after=1) == 1
    dispatched = await shipment(client, "ord_1")
    assert dispatched["status"] == "DISPATCHED"
    assert dispatched["carrier"] == "DHL"  # Berlin ships with DHL
    assert dispatched["tracking"] == "DHL-" + dispatched["shipment_id"].removeprefix("shp_")
    assert dispatched["dispatched_at"] == "2026-11-21T12:00:01Z"
    assert (await outbox(db))[-1] == (
        "ShipmentDispatched",
        "ord_1",
        {
            "order_id": "ord_1",
            "shipment_id": dispatched["shipment_id"],
            "carrier": "DHL",
            "tracking_number": dispatched["tracking"],
            "dispatched_at": "2026-11-21T12:00:01Z",
        },
    )


async def test_a_second_pass_dispatches_nothing_again(deliver: Deliver, db: Database) -> None:
    assert await deliver(allocate, order_confirmed("ord_1", SKU_MUG_01=1))
    assert await dispatch(db, after=5) == 1
    assert await dispatch(db, after=10) == 0
    assert [kind for kind, _, _ in await outbox(db)] == ["ShipmentCreated", "ShipmentDispatched"]


async def test_the_carrier_follows_the_shipping_warehouse(
    deliver: Deliver, db: Database, client: httpx.AsyncClient
) -> None:
    async with db.sessions.begin() as session:
        await session.execute(
            text("UPDATE bin_stock SET on_hand = 0 WHERE warehouse_id = 'wh_berlin'")
        )
    assert await deliver(allocate, order_confirmed("ord_1", SKU_MUG_01=1))
    assert await dispatch(db, after=1) == 1
    found = await shipment(client, "ord_1")
    assert (found["warehouse_id"], found["carrier"]) == ("wh_rotterdam", "PostNL")


async def test_concurrent_passes_never_dispatch_a_shipment_twice(
    deliver: Deliver, db: Database
) -> None:
    for i in range(3):
        assert await deliver(allocate, order_confirmed(f"ord_{i}", SKU_MUG_01=1))
    counts = await asyncio.gather(*(dispatch(db, after=2, limit=1) for _ in range(6)))
    assert sum(counts) <= 3
    while await dispatch(db, after=2, limit=1):
        pass
    kinds = [kind for kind, _, _ in await outbox(db)]
    assert kinds.count("ShipmentDispatched") == 3

import asyncio
from functools import partial

import httpx
from fulfillment.application.allocation import allocate_order
from shop_messaging import Outbox
from shop_servicekit import Database

from ..conftest import Deliver
from .events import NOW, count, on_hand, order_confirmed, outbox, republished

allocate = partial(allocate_order, outbox=Outbox(), clock=lambda: NOW)


async def prints(db: Database) -> tuple[int, int]:
    """SKU-PRINT-01 on the shelves of Berlin and Rotterdam (2 and 1 to start with)."""
    return (
        await on_hand(db, "wh_berlin", "SKU-PRINT-01"),
        await on_hand(db, "wh_rotterdam", "SKU-PRINT-01"),
    )


async def test_a_confirmed_order_ships_from_the_first_warehouse_holding_every_line(
    deliver: Deliver, db: Database, client: httpx.AsyncClient
) -> None:
    mugs_before = await on_hand(db, "wh_berlin", "SKU-MUG-01")
    assert await deliver(allocate, order_confirmed("ord_1", SKU_MUG_01=2, SKU_TEE_01=1))

    [shipment] = (await client.get("/v1/shipments", params={"order_id": "ord_1"})).json()[
        "shipments"
    ]
    assert (shipment["warehouse_id"], shipment["status"]) == ("wh_berlin", "CREATED")
    assert shipment["lines"] == [
        {"sku": "SKU-MUG-01", "quantity": 2},
        {"sku": "SKU-TEE-01", "quantity": 1},
    ]
    assert await on_hand(db, "wh_berlin", "SKU-MUG-01") == mugs_before - 2
    assert await outbox(db) == [
        (
            "ShipmentCreated",
            "ord_1",
            {
                "order_id": "ord_1",
                "shipment_id": shipment["shipment_id"],
                "warehouse_id": "wh_berlin",
                "lines": shipment["lines"],
            },
        )
    ]


async def test_an_order_no_warehouse_can_ship_is_backordered_naming_what_is_short(
    deliver: Deliver, db: Database, client: httpx.AsyncClient
) -> None:
    mugs_before = await on_hand(db, "wh_berlin", "SKU-MUG-01")
    assert await deliver(allocate, order_confirmed("ord_2", SKU_LAMP_01=1, SKU_MUG_01=1))

    [backorder] = (await client.get("/v1/backorders", params={"order_id": "ord_2"})).json()[
        "backorders"
    ]
    assert (backorder["status"], backorder["skus_short"]) == ("OPEN", ["SKU-LAMP-01"])
    assert backorder["lines"] == [
        {"sku": "SKU-LAMP-01", "quantity": 1},
        {"sku": "SKU-MUG-01", "quantity": 1},
    ]
    assert await count(db, "shipments") == 0
    assert await on_hand(db, "wh_berlin", "SKU-MUG-01") == mugs_before  # nothing picked
    assert await outbox(db) == [
        ("BackorderDeclared", "ord_2", {"order_id": "ord_2", "skus_short": ["SKU-LAMP-01"]})
    ]


async def test_the_same_event_delivered_twice_is_allocated_once(
    deliver: Deliver, db: Database
) -> None:
    event = order_confirmed("ord_1", SKU_PRINT_01=2)
    assert await deliver(allocate, event)
    assert not await deliver(allocate, event)  # the inbox knows the event id
    assert await count(db, "shipments") == 1
    assert await on_hand(db, "wh_berlin", "SKU-PRINT-01") == 0
    assert [kind for kind, _, _ in await outbox(db)] == ["ShipmentCreated"]


async def test_a_republished_order_confirmed_changes_nothing_for_a_shipped_order(
    deliver: Deliver, db: Database
) -> None:
    event = order_confirmed("ord_1", SKU_PRINT_01=1)
    assert await deliver(allocate, event)
    stock = await prints(db)

    assert await deliver(allocate, republished(event))  # a new id: the inbox lets it through

    assert await count(db, "shipments") == 1
    assert await count(db, "backorders") == 0
    assert await prints(db) == stock
    assert len(await outbox(db)) == 1


async def test_a_republished_order_confirmed_changes_nothing_for_a_backordered_order(
    deliver: Deliver, db: Database
) -> None:
    event = order_confirmed("ord_1", SKU_LAMP_01=1)
    assert await deliver(allocate, event)
    assert await deliver(allocate, republished(event))
    assert await count(db, "backorders") == 1
    assert await count(db, "shipments") == 0
    assert [kind for kind, _, _ in await outbox(db)] == ["BackorderDeclared"]


async def test_concurrent_deliveries_of_one_order_under_different_ids_allocate_it_once(
    deliver: Deliver, db: Database
) -> None:
    event = order_confirmed("ord_1", SKU_MUG_01=1)
    await asyncio.gather(*(deliver(allocate, republished(event)) for _ in range(5)))
    assert await count(db, "shipments") == 1
    assert len(await outbox(db)) == 1


async def test_racing_orders_for_the_last_units_never_pick_more_than_the_bins_hold(
    deliver: Deliver, db: Database
) -> None:
    # SKU-PRINT-01: 2 in Berlin, 1 in Rotterdam. Five orders of one: three ship, two wait.
    await asyncio.gather(
        *(deliver(allocate, order_confirmed(f"ord_{i}", SKU_PRINT_01=1)) for i in range(5))
    )
    assert await count(db, "shipments") == 3
    assert await count(db, "backorders") == 2
    assert await prints(db) == (0, 0)

from dataclasses import dataclass
from functools import partial

import httpx
import pytest
from fulfillment.application.allocation import allocate_order
from fulfillment.application.replenishment import receive_stock
from shop_messaging import Outbox
from shop_servicekit import Database

from ..conftest import Deliver
from .events import Clock, count, on_hand, order_confirmed, outbox, republished, stock_replenished


@dataclass
class Handlers:
    clock: Clock

    def __post_init__(self) -> None:
        self.allocate = partial(allocate_order, outbox=Outbox(), clock=self.clock)
        self.receive = partial(
            receive_stock, outbox=Outbox(), warehouse_id="wh_berlin", clock=self.clock
        )


@pytest.fixture
def on() -> Handlers:
    """The handlers under test, on a clock that starts at 12:00 and moves when told."""
    return Handlers(Clock())


async def backorder_of(client: httpx.AsyncClient, order_id: str) -> dict[str, str]:
    response = await client.get("/v1/backorders", params={"order_id": order_id})
    [found] = response.json()["backorders"]
    return dict(found)


async def shipments_of(client: httpx.AsyncClient, order_id: str) -> list[dict[str, str]]:
    response = await client.get("/v1/shipments", params={"order_id": order_id})
    return list(response.json()["shipments"])


async def test_received_goods_ship_the_oldest_waiting_backorder_first(
    on: Handlers, deliver: Deliver, db: Database, client: httpx.AsyncClient
) -> None:
    for order_id in ("ord_old", "ord_new"):  # SKU-LAMP-01: no warehouse has one
        on.clock.advance(1)
        assert await deliver(on.allocate, order_confirmed(order_id, SKU_LAMP_01=1, SKU_MUG_01=1))

    assert await deliver(on.receive, stock_replenished("SKU-LAMP-01", 1))

    old = await backorder_of(client, "ord_old")
    assert (old["status"], old["released_at"]) == ("RELEASED", "2026-11-21T12:00:02Z")
    [shipment] = await shipments_of(client, "ord_old")
    assert (shipment["warehouse_id"], shipment["status"]) == ("wh_berlin", "CREATED")
    assert (await backorder_of(client, "ord_new"))["status"] == "OPEN"
    assert await shipments_of(client, "ord_new") == []
    assert await on_hand(db, "wh_berlin", "SKU-LAMP-01") == 0  # received one, shipped one
    assert [(kind, key) for kind, key, _ in await outbox(db)] == [
        ("BackorderDeclared", "ord_old"),
        ("BackorderDeclared", "ord_new"),
        ("ShipmentCreated", "ord_old"),
    ]


async def test_enough_goods_ship_every_waiting_backorder(
    on: Handlers, deliver: Deliver, db: Database, client: httpx.AsyncClient
) -> None:
    for order_id in ("ord_1", "ord_2"):
        assert await deliver(on.allocate, order_confirmed(order_id, SKU_LAMP_01=2))
    assert await deliver(on.receive, stock_replenished("SKU-LAMP-01", 5))
    for order_id in ("ord_1", "ord_2"):
        assert (await backorder_of(client, order_id))["status"] == "RELEASED"
        assert len(await shipments_of(client, order_id)) == 1
    assert await on_hand(db, "wh_berlin", "SKU-LAMP-01") == 1


async def test_a_backorder_still_short_of_another_sku_stays_open(
    on: Handlers, deliver: Deliver, db: Database, client: httpx.AsyncClient
) -> None:
    # Three prints ship from no warehouse (2 + 1): lamps alone do not unblock the order.
    assert await deliver(on.allocate, order_confirmed("ord_1", SKU_LAMP_01=1, SKU_PRINT_01=3))
    assert await deliver(on.receive, stock_replenished("SKU-LAMP-01", 4))
    assert (await backorder_of(client, "ord_1"))["status"] == "OPEN"
    assert await count(db, "shipments") == 0
    assert await on_hand(db, "wh_berlin", "SKU-LAMP-01") == 4


async def test_the_same_receipt_delivered_twice_is_shelved_once(
    on: Handlers, deliver: Deliver, db: Database
) -> None:
    event = stock_replenished("SKU-MUG-01", 10)
    before = await on_hand(db, "wh_berlin", "SKU-MUG-01")
    assert await deliver(on.receive, event)
    assert not await deliver(on.receive, event)
    assert await on_hand(db, "wh_berlin", "SKU-MUG-01") == before + 10


async def test_a_receipt_under_a_new_event_id_is_new_goods_but_ships_nothing_twice(
    on: Handlers, deliver: Deliver, db: Database, client: httpx.AsyncClient
) -> None:
    # Receipts have no business key: the event id is the receipt (see replenishment.py).
    assert await deliver(on.allocate, order_confirmed("ord_1", SKU_LAMP_01=1))
    event = stock_replenished("SKU-LAMP-01", 3)
    assert await deliver(on.receive, event)
    assert await deliver(on.receive, republished(event))
    assert await on_hand(db, "wh_berlin", "SKU-LAMP-01") == 3 + 3 - 1
    assert len(await shipments_of(client, "ord_1")) == 1
    assert [kind for kind, _, _ in await outbox(db)] == ["BackorderDeclared", "ShipmentCreated"]


async def test_goods_of_a_sku_the_warehouse_never_stocked_get_a_bin(
    on: Handlers, deliver: Deliver, db: Database
) -> None:
    assert await deliver(on.receive, stock_replenished("SKU-NEW-01", 7))
    assert await on_hand(db, "wh_berlin", "SKU-NEW-01") == 7
    assert await outbox(db) == []

import logging
from functools import partial

import httpx
import pytest
from fulfillment.application.allocation import allocate_order
from fulfillment.application.cancellation import cancel_backorder
from fulfillment.application.replenishment import receive_stock
from shop_messaging import Outbox
from shop_servicekit import Database

from ..conftest import Deliver
from .events import (
    NOW,
    count,
    on_hand,
    order_cancelled,
    order_confirmed,
    outbox,
    republished,
    stock_replenished,
)

allocate = partial(allocate_order, outbox=Outbox(), clock=lambda: NOW)
cancel = partial(cancel_backorder, clock=lambda: NOW)
receive = partial(receive_stock, outbox=Outbox(), warehouse_id="wh_berlin", clock=lambda: NOW)


async def backorder(client: httpx.AsyncClient, order_id: str) -> dict[str, str]:
    response = await client.get("/v1/backorders", params={"order_id": order_id})
    [found] = response.json()["backorders"]
    return dict(found)


async def test_a_cancelled_order_cancels_its_open_backorder_which_then_never_ships(
    deliver: Deliver, db: Database, client: httpx.AsyncClient
) -> None:
    assert await deliver(allocate, order_confirmed("ord_1", SKU_LAMP_01=1))
    assert await deliver(cancel, order_cancelled("ord_1"))

    cancelled = await backorder(client, "ord_1")
    assert (cancelled["status"], cancelled["cancelled_at"]) == ("CANCELLED", "2026-11-21T12:00:00Z")
    assert await deliver(receive, stock_replenished("SKU-LAMP-01", 5))
    assert await count(db, "shipments") == 0
    assert await on_hand(db, "wh_berlin", "SKU-LAMP-01") == 5
    assert [kind for kind, _, _ in await outbox(db)] == ["BackorderDeclared"]  # nothing new


async def test_a_cancellation_delivered_again_or_republished_changes_nothing(
    deliver: Deliver, db: Database, client: httpx.AsyncClient
) -> None:
    assert await deliver(allocate, order_confirmed("ord_1", SKU_LAMP_01=1))
    event = order_cancelled("ord_1")
    assert await deliver(cancel, event)
    first = await backorder(client, "ord_1")
    assert not await deliver(cancel, event)
    assert await deliver(cancel, republished(event))
    assert await backorder(client, "ord_1") == first


async def test_a_shipment_already_created_is_not_undone_by_a_cancellation(
    deliver: Deliver, db: Database, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    assert await deliver(allocate, order_confirmed("ord_1", SKU_MUG_01=1))
    caplog.set_level(logging.WARNING, logger="fulfillment.application.cancellation")
    assert await deliver(cancel, order_cancelled("ord_1"))

    [shipment] = (await client.get("/v1/shipments", params={"order_id": "ord_1"})).json()[
        "shipments"
    ]
    assert shipment["status"] == "CREATED"
    assert any("after its shipment was created" in r.message for r in caplog.records)
    assert len(await outbox(db)) == 1


async def test_cancelling_an_order_fulfillment_never_saw_is_a_no_op(
    deliver: Deliver, db: Database
) -> None:
    assert await deliver(cancel, order_cancelled("ord_unknown"))
    assert await count(db, "backorders") == 0
    assert await outbox(db) == []

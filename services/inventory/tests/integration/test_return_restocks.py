"""A received return's units go back on hand once, by event or by reconciliation's repair."""

from datetime import UTC, datetime
from typing import Any

import httpx
from inventory.entrypoints.worker import GROUP, subscriptions
from shop_contracts import CloudEvent, Money, ReturnLine, ReturnReceived
from shop_messaging import Outbox
from shop_servicekit import Database
from shop_testing.apps import deliver_event
from sqlalchemy import text

HANDLERS = subscriptions(outbox=Outbox(), clock=lambda: datetime.now(UTC))


def received(return_id: str) -> CloudEvent[ReturnReceived]:
    return CloudEvent.create(
        ReturnReceived(
            order_id="ord_returned",
            return_id=return_id,
            customer_id="cus_1",
            lines=(
                ReturnLine(sku="SKU-MUG-01", quantity=2),
                ReturnLine(sku="SKU-UNKNOWN-9", quantity=1),
            ),
            refund=Money(amount=1000, currency="EUR"),
        )
    )


async def _on_hand(client: httpx.AsyncClient) -> int:
    return int((await client.get("/v1/stock/SKU-MUG-01")).json()["on_hand"])


async def _events(db: Database, name: str) -> list[dict[str, Any]]:
    async with db.sessions() as session:
        rows = await session.scalars(
            text("SELECT payload FROM outbox WHERE type LIKE :type ORDER BY id"),
            {"type": f"%.{name}.%"},
        )
        return [dict(row) for row in rows]


async def test_a_received_return_is_restocked_once_even_when_republished(
    client: httpx.AsyncClient, db: Database
) -> None:
    before = await _on_hand(client)
    handler = HANDLERS[ReturnReceived]

    assert await deliver_event(db.sessions, GROUP, handler, received("ret_a"))
    assert await deliver_event(db.sessions, GROUP, handler, received("ret_a"))  # new event id

    assert await _on_hand(client) == before + 2
    # Nothing can hold a SKU inventory does not stock: it is left out.
    [event] = await _events(db, "ReturnRestocked")
    assert event["lines"] == [{"sku": "SKU-MUG-01", "quantity": 2}]
    # The stock it adds is announced like any goods received, so backorders can ship.
    [replenished] = await _events(db, "StockReplenished")
    assert (replenished["sku"], replenished["quantity"]) == ("SKU-MUG-01", 2)


async def test_reconciliations_restock_repair_is_idempotent_and_listed(
    client: httpx.AsyncClient, db: Database
) -> None:
    before = await _on_hand(client)
    body = {
        "return_id": "ret_b",
        "order_id": "ord_b",
        "lines": [{"sku": "SKU-MUG-01", "quantity": 1}],
    }
    first = await client.post("/internal/v1/restocks", json=body)
    again = await client.post("/internal/v1/restocks", json=body)
    assert (first.json()["restocked_now"], again.json()["restocked_now"]) == (True, False)
    assert await _on_hand(client) == before + 1

    page = await client.get("/internal/v1/restocks", params={"since": "2000-01-01T00:00:00Z"})
    [item] = [i for i in page.json()["items"] if i["return_id"] == "ret_b"]
    assert item["lines"] == [{"sku": "SKU-MUG-01", "quantity": 1}]

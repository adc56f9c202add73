"""Events other services publish about an order, as the handler tests deliver them."""

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import httpx
from shop_contracts import (
    CloudEvent,
    Money,
    OrderCancelled,
    OrderConfirmedV2,
    OrderLine,
    ShipmentCreated,
    ShipmentLine,
    new_event_id,
)

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
PRICE = Money(amount=1000, currency="EUR")


def order_confirmed(order_id: str, sku: str = "SKU-MUG-01", quantity: int = 2) -> CloudEvent[Any]:
    return CloudEvent.create(
        OrderConfirmedV2(
            order_id=order_id,
            customer_id="cus_1",
            lines=(OrderLine(sku=sku, quantity=quantity, unit_price=PRICE),),
            total=Money(amount=1000 * quantity, currency="EUR"),
            reservation_id="res_1",
            authorization_id="auth_1",
            confirmed_at=NOW,
        )
    )


def shipment_created(order_id: str, sku: str = "SKU-MUG-01", quantity: int = 2) -> CloudEvent[Any]:
    return CloudEvent.create(
        ShipmentCreated(
            order_id=order_id,
            shipment_id="shp_1",
            warehouse_id="wh_berlin",
            lines=(ShipmentLine(sku=sku, quantity=quantity),),
        )
    )


def order_cancelled(order_id: str) -> CloudEvent[Any]:
    return CloudEvent.create(OrderCancelled(order_id=order_id, reason="customer asked"))


def republished(event: CloudEvent[Any]) -> CloudEvent[Any]:
    """The same business fact under a new event id (as a reconciliation repair sends it)."""
    return replace(event, id=new_event_id())


async def hold(
    client: httpx.AsyncClient, order_id: str, sku: str = "SKU-MUG-01", quantity: int = 2
) -> dict[str, Any]:
    body = {"order_id": order_id, "items": [{"sku": sku, "quantity": quantity}], "ttl_seconds": 60}
    response = await client.post("/v1/reservations", json=body)
    assert response.status_code == 201
    held: dict[str, Any] = response.json()
    return held


async def stock(client: httpx.AsyncClient, sku: str = "SKU-MUG-01") -> tuple[int, int]:
    """(on_hand, reserved)."""
    body = (await client.get(f"/v1/stock/{sku}")).json()
    return body["on_hand"], body["reserved"]

"""Helpers of the order-progress tests: a stored order, events about it, their delivery."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from checkout.adapters.orders import add_order, get_order
from checkout.application.events import order_confirmed
from checkout.domain.orders import Address, Order, OrderLine, OrderStatus, PricedCart
from checkout.entrypoints.worker import GROUP, subscriptions
from shop_contracts import CloudEvent, Event, Money, PaymentCaptured, ShipmentCreated, ShipmentLine
from shop_messaging import Outbox, claim
from shop_servicekit import Database, utc_now

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


async def stored_order(
    db: Database,
    *,
    status: OrderStatus = OrderStatus.CONFIRMED,
    created_at: datetime = T0,
    order_id: str | None = None,
    announced: bool = False,
) -> Order:
    """An order as checkout stores it; `announced`: with its OrderConfirmed and
    OrderContactShared in the outbox, in the same transaction, as a confirmed checkout
    writes it."""
    order = Order(
        id=order_id or f"ord_{uuid.uuid4().hex[:16]}",
        status=status,
        customer_id="cus_1",
        customer_email="ada@example.com",
        currency="EUR",
        shipping_address=Address("Ada", "1 Main St", "Berlin", "10115", "DE"),
        created_at=created_at,
        cart=PricedCart("qt_1", (OrderLine("SKU-MUG-01", "Mug", 2, 1200),), 2400, 0, 456, 2856),
        reservation_id=f"res_{uuid.uuid4().hex[:12]}",
        authorization_id=f"auth_{uuid.uuid4().hex[:12]}",
        reject_reason="out-of-stock" if status is OrderStatus.REJECTED else None,
    )
    async with db.sessions.begin() as session:
        await add_order(session, order, compensation_status="NONE")
        if announced:
            for announced_event in order_confirmed(order):
                await Outbox().add(session, announced_event)
    return order


def event(data: Event, *, after: float = 1.0, id: str | None = None) -> CloudEvent[Event]:
    """The event as a producer would publish it, `after` seconds past T0."""
    return CloudEvent.create(data, id=id, time=T0 + timedelta(seconds=after))


async def deliver(db: Database, delivered: CloudEvent[Event]) -> bool:
    """What the consumer runner does with one record: inbox claim and handler, one
    transaction. False when the inbox already had the event."""
    handler = subscriptions(outbox=Outbox(), clock=utc_now)[type(delivered.data)]
    async with db.sessions.begin() as session:
        if not await claim(session, GROUP, delivered.id):
            return False
        await handler(session, delivered)
    return True


async def view(db: Database, order_id: str) -> Order:
    async with db.sessions() as session:
        found = await get_order(session, order_id)
    assert found is not None
    return found[0]


def eur(amount: int) -> Money:
    return Money(amount=amount, currency="EUR")


def timeline(order: Order) -> list[tuple[str, str]]:
    return [(e.type, e.source) for e in order.timeline]


def detail(order: Order, type_: str) -> dict[str, Any]:
    [entry] = [e for e in order.timeline if e.type == type_]
    return dict(entry.detail)


def shipment(order_id: str, shipment_id: str = "shp_1") -> ShipmentCreated:
    return ShipmentCreated(
        order_id=order_id,
        shipment_id=shipment_id,
        warehouse_id="wh_berlin",
        lines=(ShipmentLine(sku="SKU-MUG-01", quantity=2),),
    )


def capture(order_id: str, authorization_id: str) -> PaymentCaptured:
    return PaymentCaptured(order_id=order_id, authorization_id=authorization_id, amount=eur(2856))

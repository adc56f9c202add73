"""Helpers of the integration tests: the events that make an order returnable, delivered
as the consumer runner would (inbox claim and handler in one transaction)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from returns.entrypoints.worker import GROUP, subscriptions
from shop_contracts import (
    CloudEvent,
    Event,
    Money,
    OrderConfirmedV2,
    OrderLine,
    PaymentRefunded,
    ReturnLine,
    ReturnRestocked,
    ShipmentCreated,
    ShipmentLine,
)
from shop_messaging import Outbox
from shop_servicekit import Database
from shop_testing.apps import deliver_event
from shop_testing.credentials import DEFAULT_CUSTOMER

HANDLERS = subscriptions(outbox=Outbox(), clock=lambda: datetime.now(UTC))


def new_order_id() -> str:
    return f"ord_{uuid.uuid4().hex[:16]}"


def confirmed(order_id: str, customer_id: str = DEFAULT_CUSTOMER) -> CloudEvent[OrderConfirmedV2]:
    """2 mugs at 1000 and 1 lamp at 3000, 5500 in all with shipping and tax."""
    return CloudEvent.create(
        OrderConfirmedV2(
            order_id=order_id,
            customer_id=customer_id,
            lines=(
                OrderLine(sku="SKU-MUG", quantity=2, unit_price=Money(amount=1000, currency="EUR")),
                OrderLine(
                    sku="SKU-LAMP", quantity=1, unit_price=Money(amount=3000, currency="EUR")
                ),
            ),
            total=Money(amount=5500, currency="EUR"),
            reservation_id="res_1",
            authorization_id="auth_1",
            confirmed_at=datetime.now(UTC),
        )
    )


def shipped(order_id: str) -> CloudEvent[ShipmentCreated]:
    return CloudEvent.create(
        ShipmentCreated(
            order_id=order_id,
            shipment_id=f"shp_{order_id}",
            warehouse_id="wh_1",
            lines=(
                ShipmentLine(sku="SKU-MUG", quantity=2),
                ShipmentLine(sku="SKU-LAMP", quantity=1),
            ),
        )
    )


def refunded(order_id: str, return_id: str, amount: int) -> CloudEvent[PaymentRefunded]:
    return CloudEvent.create(
        PaymentRefunded(
            order_id=order_id,
            authorization_id="auth_1",
            refund_id=f"rfd_{return_id}",
            return_id=return_id,
            amount=Money(amount=amount, currency="EUR"),
        )
    )


def restocked(order_id: str, return_id: str) -> CloudEvent[ReturnRestocked]:
    return CloudEvent.create(
        ReturnRestocked(
            order_id=order_id,
            return_id=return_id,
            lines=(ReturnLine(sku="SKU-MUG", quantity=1),),
        )
    )


async def deliver(db: Database, event: CloudEvent[Event]) -> bool:
    return await deliver_event(db.sessions, GROUP, HANDLERS[type(event.data)], event)


async def shipped_order(db: Database, customer_id: str = DEFAULT_CUSTOMER) -> str:
    order_id = new_order_id()
    assert await deliver(db, confirmed(order_id, customer_id))
    assert await deliver(db, shipped(order_id))
    return order_id

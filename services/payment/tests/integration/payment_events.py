"""Helpers of the consumer tests: an authorized order, events about it, their delivery."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from payment.application.authorizations import AuthorizePayment, authorize_payment
from payment.domain.authorizations import Authorization
from payment.domain.fraud import FraudRules
from payment.entrypoints.worker import GROUP, subscriptions
from shop_contracts import CloudEvent, Event, OrderCancelled, ShipmentCreated, ShipmentLine
from shop_messaging import Outbox
from shop_servicekit import Database
from shop_testing.apps import deliver_event
from sqlalchemy import text

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
RULES = FraudRules(amount_limit=500_000, velocity_max=100, velocity_window=timedelta(minutes=10))
HANDLERS = subscriptions(outbox=Outbox(), clock=lambda: NOW)


def new_order_id() -> str:
    return f"ord_{uuid.uuid4().hex[:16]}"


async def authorized(db: Database, order_id: str, token: str = "tok_visa") -> Authorization:
    command = AuthorizePayment(order_id, "cus_1", 4_999, "EUR", token)
    attempt, _ = await authorize_payment(db.sessions, command, rules=RULES, clock=lambda: NOW)
    return attempt


def shipped(order_id: str) -> CloudEvent[ShipmentCreated]:
    """A fresh ShipmentCreated (a new event id each call: a republish of the same fact)."""
    return CloudEvent.create(
        ShipmentCreated(
            order_id=order_id,
            shipment_id="shp_1",
            warehouse_id="wh_berlin",
            lines=(ShipmentLine(sku="SKU-MUG-01", quantity=1),),
        )
    )


def cancelled(order_id: str) -> CloudEvent[OrderCancelled]:
    return CloudEvent.create(OrderCancelled(order_id=order_id, reason="customer-request"))


async def deliver(db: Database, event: CloudEvent[Event]) -> bool:
    """What the consumer runner does with one record: inbox claim and handler, one
    transaction. False when the inbox already had the event."""
    return await deliver_event(db.sessions, GROUP, HANDLERS[type(event.data)], event)


async def state(db: Database, order_id: str) -> dict[str, Any]:
    """The order's payment state: authorization statuses, captures, events in the outbox."""
    async with db.sessions() as session:
        statuses = await session.scalars(
            text("SELECT status FROM authorizations WHERE order_id = :o ORDER BY created_at"),
            {"o": order_id},
        )
        captured = await session.execute(
            text(
                "SELECT c.authorization_id, c.amount FROM captures c"
                " JOIN authorizations a ON a.id = c.authorization_id WHERE a.order_id = :o"
            ),
            {"o": order_id},
        )
        events = await session.execute(
            text("SELECT type, payload FROM outbox WHERE key = :o ORDER BY id"), {"o": order_id}
        )
        return {
            "statuses": list(statuses),
            "captures": [tuple(row) for row in captured],
            "events": [(row.type.split(".")[2], row.payload) for row in events],
        }

"""Helpers of the consumer tests: events about an order, and their delivery as the
consumer runner makes it, through the real subscription table."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from communications.adapters.smtp import SmtpMailer
from communications.entrypoints.worker import GROUP, subscriptions
from shop_contracts import (
    BackorderDeclared,
    CloudEvent,
    Event,
    Money,
    OrderConfirmedV2,
    OrderContactShared,
    OrderLine,
    ShipmentCreated,
    ShipmentLine,
)
from shop_messaging import Handler, Outbox, claim
from shop_servicekit import Database
from sqlalchemy import text

MAIL_FROM = "Shop <orders@shop.example>"
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def new_order_id() -> str:
    return f"ord_{uuid.uuid4().hex[:16]}"


def contact(order_id: str, email: str = "ada@example.com") -> CloudEvent[OrderContactShared]:
    """The customer's email for the order, as checkout shares it (checkout.contacts)."""
    return CloudEvent.create(
        OrderContactShared(order_id=order_id, customer_id="cus_1", customer_email=email)
    )


def confirmed(order_id: str) -> CloudEvent[OrderConfirmedV2]:
    """A fresh OrderConfirmed (a new event id each call: a republish of the same fact)."""
    return CloudEvent.create(
        OrderConfirmedV2(
            order_id=order_id,
            customer_id="cus_1",
            lines=(OrderLine(sku="SKU-MUG-01", quantity=2, unit_price=eur(1200)),),
            total=eur(2856),
            reservation_id="res_1",
            authorization_id="auth_1",
            confirmed_at=NOW,
        )
    )


def shipped(order_id: str) -> CloudEvent[ShipmentCreated]:
    return CloudEvent.create(
        ShipmentCreated(
            order_id=order_id,
            shipment_id="shp_1",
            warehouse_id="wh_berlin",
            lines=(ShipmentLine(sku="SKU-MUG-01", quantity=2),),
        )
    )


def backordered(order_id: str) -> CloudEvent[BackorderDeclared]:
    return CloudEvent.create(BackorderDeclared(order_id=order_id, skus_short=("SKU-LAMP-01",)))


def eur(amount: int) -> Money:
    return Money(amount=amount, currency="EUR")


def handlers(db: Database, smtp_port: int) -> dict[type[Event], Handler]:
    """The worker's subscription table, wired as bootstrap wires it, mailing `smtp_port`."""
    return subscriptions(
        outbox=Outbox(),
        clock=lambda: NOW,
        sessions=db.sessions,
        mailer=SmtpMailer("127.0.0.1", smtp_port, mail_from=MAIL_FROM, timeout=5),
        mail_from=MAIL_FROM,
    )


async def deliver(
    db: Database, table: dict[type[Event], Handler], event: CloudEvent[Event]
) -> bool:
    """What the consumer runner does with one record: inbox claim and handler, one
    transaction. False when the inbox already had the event; the handler's error raised."""
    async with db.sessions.begin() as session:
        if not await claim(session, GROUP, event.id):
            return False
        await table[type(event.data)](session, event)
    return True


async def state(db: Database, order_id: str) -> dict[str, Any]:
    """What the order's customer has been told: notifications, CustomerNotified events."""
    async with db.sessions() as session:
        rows = await session.execute(
            text(
                "SELECT kind, about_event_id, status FROM notifications"
                " WHERE order_id = :o ORDER BY created_at, id"
            ),
            {"o": order_id},
        )
        events = await session.scalars(
            text("SELECT payload->>'about_event_id' FROM outbox WHERE key = :o ORDER BY id"),
            {"o": order_id},
        )
        return {"notifications": [tuple(r) for r in rows], "announced": list(events)}


async def handled(db: Database, event_id: str, group: str = GROUP) -> bool:
    """Whether `group`'s inbox holds the event (its handler's transaction committed)."""
    async with db.sessions() as session:
        found = await session.scalar(
            text("SELECT count(*) FROM inbox WHERE consumer_group = :g AND event_id = :e"),
            {"g": group, "e": event_id},
        )
    return bool(found)

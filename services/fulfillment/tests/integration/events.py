"""Events and reads the handler tests share: what other services would publish, and what
Fulfillment has recorded (its rows and its outbox)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from shop_contracts import (
    CloudEvent,
    Money,
    OrderCancelled,
    OrderConfirmedV2,
    OrderLine,
    StockReplenished,
    new_event_id,
)
from shop_servicekit import Database
from sqlalchemy import text

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def order_confirmed(order_id: str, **lines: int) -> CloudEvent[OrderConfirmedV2]:
    """`order_confirmed("ord_1", SKU_MUG_01=2)`: underscores in the SKU stand for dashes."""
    price = Money(amount=1000, currency="EUR")
    return CloudEvent.create(
        OrderConfirmedV2(
            order_id=order_id,
            customer_id="cus_1",
            lines=tuple(
                OrderLine(sku=sku.replace("_", "-"), quantity=quantity, unit_price=price)
                for sku, quantity in lines.items()
            ),
            total=Money(amount=1000 * sum(lines.values()), currency="EUR"),
            reservation_id="res_1",
            authorization_id="auth_1",
            confirmed_at=NOW,
        )
    )


def order_cancelled(order_id: str) -> CloudEvent[OrderCancelled]:
    return CloudEvent.create(OrderCancelled(order_id=order_id, reason="customer asked"))


def stock_replenished(sku: str, quantity: int) -> CloudEvent[StockReplenished]:
    return CloudEvent.create(StockReplenished(sku=sku, quantity=quantity, available=quantity))


def republished(event: CloudEvent[Any]) -> CloudEvent[Any]:
    """The same business fact under a new event id (as a reconciliation repair sends it)."""
    return replace(event, id=new_event_id())


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime = NOW) -> None:
        self.time = start

    def __call__(self) -> datetime:
        return self.time

    def advance(self, seconds: float) -> datetime:
        self.time += timedelta(seconds=seconds)
        return self.time


async def on_hand(db: Database, warehouse_id: str, sku: str) -> int:
    async with db.sessions() as session:
        value = await session.scalar(
            text("SELECT on_hand FROM bin_stock WHERE warehouse_id = :w AND sku = :s"),
            {"w": warehouse_id, "s": sku},
        )
    return int(value or 0)


async def outbox(db: Database) -> list[tuple[str, str, dict[str, Any]]]:
    """Every event written, in order: (type, key, payload)."""
    async with db.sessions() as session:
        rows = (
            await session.execute(text("SELECT type, key, payload FROM outbox ORDER BY id"))
        ).all()
    return [(row.type.split(".")[2], row.key, row.payload) for row in rows]


async def count(db: Database, table: str) -> int:
    async with db.sessions() as session:
        return int(await session.scalar(text(f"SELECT count(*) FROM {table}")) or 0)

"""Cancel an order that has not shipped: CANCELLED, a timeline entry and OrderCancelled.

    order = await cancel_order(CancelOrder("ord_1", "changed my mind"),
                               sessions=sessions, outbox=Outbox(), clock=utc_now)

All three in one transaction (outbox). Inventory, Payment and Fulfillment compensate on the
event on their own clocks; checkout calls nobody. Cancelling a CANCELLED order returns it
unchanged, so a client may retry freely.
"""

from __future__ import annotations

from dataclasses import dataclass

from shop_messaging import Outbox
from shop_servicekit import Clock
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from checkout.adapters import orders
from checkout.application.events import order_cancelled
from checkout.domain.orders import Order, OrderStatus, TimelineEntry
from checkout.domain.progress import (
    CANCELLABLE,
    Fact,
    OrderNotCancellable,
    OrderNotFound,
    statuses_of,
)

DEFAULT_REASON = "cancelled by the customer"


@dataclass(frozen=True)
class CancelOrder:
    order_id: str
    reason: str = DEFAULT_REASON


async def cancel_order(
    command: CancelOrder,
    *,
    sessions: async_sessionmaker[AsyncSession],
    outbox: Outbox,
    clock: Clock,
) -> Order:
    """The cancelled order. Raises OrderNotFound, OrderNotCancellable."""
    async with sessions.begin() as session:
        found = await orders.lock_progress(session, command.order_id)
        if found is None:
            raise OrderNotFound(command.order_id)
        order, progress = found
        if order.status is not OrderStatus.CANCELLED:
            if order.status not in CANCELLABLE:
                raise OrderNotCancellable(order.id, order.status)
            at = clock()
            progress = progress.record(Fact.CANCELLED, at)
            statuses = statuses_of(progress, rejected=False)
            await orders.save_progress(session, order.id, progress, statuses, at)
            entry = TimelineEntry("OrderCancelled", "checkout", at, {"reason": command.reason})
            await orders.add_fact_entry(session, order.id, entry, "OrderCancelled")
            await outbox.add(session, order_cancelled(order, command.reason))
        cancelled = await orders.get_order(session, order.id)
    assert cancelled is not None  # locked above, in this transaction
    return cancelled[0]

"""Cancel an order that has not shipped: CANCELLED, a timeline entry and OrderCancelled.

    order = await cancel_order(sessions, CancelOrder("ord_1", "changed my mind"),
                               outbox=Outbox(), now=utc_now)

All three in one transaction (outbox). Inventory, Payment and Fulfillment compensate on the
event on their own clocks; checkout calls nobody. Cancelling a CANCELLED order returns it
unchanged, so a client may retry freely.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from shop_contracts import OrderCancelled
from shop_messaging import Outbox
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from checkout.adapters import orders
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
    sessions: async_sessionmaker[AsyncSession],
    command: CancelOrder,
    *,
    outbox: Outbox,
    now: Callable[[], datetime],
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
            at = now()
            progress = progress.record(Fact.CANCELLED, at)
            statuses = statuses_of(progress, rejected=False)
            await orders.save_progress(session, order.id, progress, statuses, at)
            entry = TimelineEntry("OrderCancelled", "checkout", at, {"reason": command.reason})
            await orders.add_fact_entry(session, order.id, entry, "OrderCancelled")
            await outbox.add(
                session,
                OrderCancelled(
                    order_id=order.id,
                    reason=command.reason,
                    reservation_id=order.reservation_id,
                    authorization_id=order.authorization_id,
                ),
            )
        cancelled = await orders.get_order(session, order.id)
    assert cancelled is not None  # locked above, in this transaction
    return cancelled[0]

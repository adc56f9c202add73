"""Send a confirmed order's OrderConfirmed again: reconciliation's repair for a lost event.

    republished = await republish_order_confirmed("ord_1", sessions=sessions, outbox=Outbox())

The event's outbox row is marked unpublished, and so is its OrderContactShared's (written
in the same transaction, so as likely lost), so the relay sends the SAME events (same ids)
again: a consumer that had it skips it by its inbox, one that lost it handles it now.
Requeuing a row the relay has not sent again yet changes nothing, so a repeated repair is
harmless. The order is locked meanwhile, so a cancellation is either before (refused) or
after (its OrderCancelled follows in the outbox).
"""

from __future__ import annotations

from dataclasses import dataclass

from shop_contracts import OrderConfirmed, OrderConfirmedV2
from shop_messaging import Outbox
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from checkout.adapters import orders
from checkout.domain.progress import (
    CONFIRMED,
    ConfirmedEventMissing,
    OrderNotConfirmed,
    OrderNotFound,
)


@dataclass(frozen=True)
class Republished:
    order_id: str
    event_id: str


async def republish_order_confirmed(
    order_id: str, *, sessions: async_sessionmaker[AsyncSession], outbox: Outbox
) -> Republished:
    """Raises OrderNotFound, OrderNotConfirmed, ConfirmedEventMissing."""
    async with sessions.begin() as session:
        found = await orders.lock_progress(session, order_id)
        if found is None:
            raise OrderNotFound(order_id)
        order, _ = found
        if order.status not in CONFIRMED:
            raise OrderNotConfirmed(order.id, order.status)
        events = await orders.confirmation_events(session, order.id)
        confirmed = events.get(OrderConfirmedV2.event_type) or events.get(OrderConfirmed.event_type)
        if confirmed is None:
            raise ConfirmedEventMissing(order.id)
        for event_id in events.values():
            await outbox.requeue(session, event_id)
    return Republished(order.id, confirmed)

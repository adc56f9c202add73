"""Use cases: observe an event into an order's coordination state; read an order's progress;
find the stuck orders.

`observe_order_event` is the consumer's handler: it runs in the caller's transaction (the
consumer's, next to its inbox claim) through `observe_event`. The event log dedupes by
event id; the row lock serialises two events of one order arriving from different topics
at once; the domain makes their order irrelevant.
"""

from collections.abc import Mapping
from contextlib import aclosing
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shop_contracts import (
    BackorderDeclared,
    CloudEvent,
    CustomerNotified,
    OrderCancelled,
    OrderConfirmedV2,
    PaymentCaptured,
    ReservationCommitted,
    ShipmentCreated,
)
from shop_servicekit import Clock
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from reconciliation.adapters import coordination
from reconciliation.domain.coordination import (
    Deadlines,
    Fact,
    LateStep,
    OrderCoordination,
    StepProgress,
    apply,
    order_status,
    progress,
    stuck_steps,
)

# The events that move an order through COMPLETE_ORDER; other types are not tracked here.
FACT_OF_EVENT_TYPE: Mapping[str, Fact] = {
    OrderConfirmedV2.event_type: Fact.CONFIRMED,
    ShipmentCreated.event_type: Fact.ALLOCATED,
    BackorderDeclared.event_type: Fact.BACKORDERED,
    ReservationCommitted.event_type: Fact.RESERVATION_COMMITTED,
    PaymentCaptured.event_type: Fact.PAYMENT_CAPTURED,
    CustomerNotified.event_type: Fact.CUSTOMER_NOTIFIED,
    OrderCancelled.event_type: Fact.CANCELLED,
}


@dataclass(frozen=True)
class ObservedEvent:
    event_id: str
    type: str
    order_id: str
    occurred_at: datetime


async def observe_event(
    session: AsyncSession, event: ObservedEvent, *, now: datetime
) -> OrderCoordination | None:
    """Apply one event; None when it is untracked or a duplicate (then nothing changes)."""
    fact = FACT_OF_EVENT_TYPE.get(event.type)
    if fact is None:
        return None
    is_new = await coordination.record_event(
        session,
        event_id=event.event_id,
        order_id=event.order_id,
        type_=event.type,
        occurred_at=event.occurred_at,
        received_at=now,
    )
    if not is_new:
        return None
    state = apply(
        await coordination.lock_state(session, event.order_id, now), fact, event.occurred_at
    )
    await coordination.save_state(session, state, now)
    return state


async def observe_order_event(
    session: AsyncSession, event: CloudEvent[Any], *, clock: Clock
) -> None:
    """The consumer's handler for every tracked event type (`entrypoints/worker.py`)."""
    order_id = getattr(event.data, "order_id", None) or event.subject
    await observe_event(
        session, ObservedEvent(event.id, event.type, order_id, event.time), now=clock()
    )


@dataclass(frozen=True)
class OrderProgress:
    state: OrderCoordination
    as_of: datetime
    status: str  # domain.coordination.order_status
    steps: list[StepProgress]


async def find_order_progress(
    sessions: async_sessionmaker[AsyncSession],
    order_id: str,
    *,
    clock: Clock,
    deadlines: Deadlines,
) -> OrderProgress | None:
    """Where the order's steps stand now; None when no event about it was ever seen."""
    async with sessions() as session:
        state = await coordination.get_state(session, order_id)
    if state is None:
        return None
    as_of = clock()
    steps = progress(state, as_of, deadlines)
    return OrderProgress(state, as_of, order_status(state, steps), steps)


@dataclass(frozen=True)
class StuckOrder:
    state: OrderCoordination
    late: list[LateStep]


@dataclass(frozen=True)
class StuckOrders:
    as_of: datetime
    orders: list[StuckOrder]


async def find_stuck(
    sessions: async_sessionmaker[AsyncSession],
    *,
    clock: Clock,
    deadlines: Deadlines,
    limit: int,
) -> StuckOrders:
    """Up to `limit` orders with a late step now, oldest confirmation first."""
    now = clock()
    stuck: list[StuckOrder] = []
    async with sessions() as session, aclosing(coordination.open_orders(session)) as states:
        async for state in states:
            late = stuck_steps(state, now, deadlines)
            if late:
                stuck.append(StuckOrder(state, late))
                if len(stuck) >= limit:
                    break
    return StuckOrders(now, stuck)

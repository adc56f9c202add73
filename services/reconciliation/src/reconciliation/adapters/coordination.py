"""Reads and writes of coordination state and its event log, in the caller's session."""

from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from reconciliation.adapters.tables import coordination_events, order_coordination
from reconciliation.domain.coordination import OrderCoordination

_STATE_COLUMNS = (
    "confirmed_at",
    "allocated_at",
    "backordered_at",
    "reservation_committed_at",
    "payment_captured_at",
    "customer_notified_at",
    "cancelled_at",
    "last_event_at",
)


async def record_event(
    session: AsyncSession,
    *,
    event_id: str,
    order_id: str,
    type_: str,
    occurred_at: datetime,
    received_at: datetime,
) -> bool:
    """Log the event; False when its id was already logged (a duplicate delivery)."""
    result: Any = await session.execute(
        insert(coordination_events)
        .values(
            event_id=event_id,
            order_id=order_id,
            type=type_,
            occurred_at=occurred_at,
            received_at=received_at,
        )
        .on_conflict_do_nothing(index_elements=[coordination_events.c.event_id])
    )
    return bool(result.rowcount == 1)


async def lock_state(session: AsyncSession, order_id: str, now: datetime) -> OrderCoordination:
    """The order's state, locked until commit; an untracked order starts empty.

    Insert-then-lock (rather than select-then-insert) so two first events of one order,
    consumed from different topics at once, never race on the insert.
    """
    await session.execute(
        insert(order_coordination)
        .values(order_id=order_id, updated_at=now)
        .on_conflict_do_nothing(index_elements=[order_coordination.c.order_id])
    )
    row = (
        await session.execute(
            select(order_coordination)
            .where(order_coordination.c.order_id == order_id)
            .with_for_update()
        )
    ).one()
    return _state(row)


async def save_state(session: AsyncSession, state: OrderCoordination, now: datetime) -> None:
    await session.execute(
        order_coordination.update()
        .where(order_coordination.c.order_id == state.order_id)
        .values(updated_at=now, **{name: getattr(state, name) for name in _STATE_COLUMNS})
    )


async def get_state(session: AsyncSession, order_id: str) -> OrderCoordination | None:
    row = (
        await session.execute(
            select(order_coordination).where(order_coordination.c.order_id == order_id)
        )
    ).one_or_none()
    return None if row is None else _state(row)


async def open_orders(session: AsyncSession) -> AsyncGenerator[OrderCoordination, None]:
    """Orders not cancelled with some step still undone, oldest confirmation first.

    Streamed, so a caller that stops after N stuck orders reads little more than it needs.
    """
    c = order_coordination.c
    result = await session.stream(
        select(order_coordination)
        .where(
            c.cancelled_at.is_(None),
            or_(
                and_(c.allocated_at.is_(None), c.backordered_at.is_(None)),
                c.reservation_committed_at.is_(None),
                c.payment_captured_at.is_(None),
                c.customer_notified_at.is_(None),
            ),
        )
        .order_by(c.confirmed_at.asc().nulls_last(), c.order_id)
        .execution_options(yield_per=500)
    )
    async for row in result:
        yield _state(row)


def _state(row: Any) -> OrderCoordination:
    return OrderCoordination(
        order_id=row.order_id, **{name: getattr(row, name) for name in _STATE_COLUMNS}
    )

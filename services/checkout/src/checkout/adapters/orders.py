"""Reads and writes of orders, their lines and timeline, in the caller's session."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import literal, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from checkout.adapters.tables import (
    CONFIRMATION_TYPES,
    messaging,
    order_lines,
    order_timeline,
    orders,
)
from checkout.domain.orders import (
    Address,
    Order,
    OrderLine,
    OrderStatus,
    PricedCart,
    TimelineEntry,
)
from checkout.domain.progress import Fact, Progress, Statuses


async def add_order(session: AsyncSession, order: Order, *, compensation_status: str) -> None:
    """The order, its lines and its timeline in ONE statement, so one round trip: the lines
    and the entries are INSERTs in the order INSERT's WITH clause (PostgreSQL checks their
    foreign keys when the whole statement has run, the order row included)."""
    cart = order.cart
    statement = orders.insert().values(
        id=order.id,
        status=order.status.value,
        reject_reason=order.reject_reason,
        customer_id=order.customer_id,
        customer_email=order.customer_email,
        currency=order.currency,
        subtotal=cart.subtotal if cart else 0,
        shipping=cart.shipping if cart else 0,
        tax=cart.tax if cart else 0,
        total=order.total,
        quote_id=cart.quote_id if cart else None,
        reservation_id=order.reservation_id,
        authorization_id=order.authorization_id,
        shipping_address=asdict(order.shipping_address),
        fulfillment_status=order.fulfillment_status,
        payment_status=order.payment_status,
        notification_status=order.notification_status,
        compensation_status=compensation_status,
        created_at=order.created_at,
        updated_at=order.created_at,
    )
    if cart and cart.lines:
        lines = [
            {
                "order_id": order.id,
                "line_no": number,
                "sku": line.sku,
                "name": line.name,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "line_total": line.line_total,
            }
            for number, line in enumerate(cart.lines, start=1)
        ]
        statement = statement.add_cte(order_lines.insert().values(lines).cte("new_lines"))
    if order.timeline:
        # Multi-row VALUES: the entries get their ids in timeline order.
        entries = [_timeline_row(order.id, entry) for entry in order.timeline]
        statement = statement.add_cte(order_timeline.insert().values(entries).cte("new_timeline"))
    await session.execute(statement)


async def add_timeline_entry(session: AsyncSession, order_id: str, entry: TimelineEntry) -> None:
    await session.execute(order_timeline.insert().values(**_timeline_row(order_id, entry)))


def _timeline_row(order_id: str, entry: TimelineEntry) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "type": entry.type,
        "source": entry.source,
        "occurred_at": entry.occurred_at,
        "detail": entry.detail,
    }


async def add_fact_entry(
    session: AsyncSession, order_id: str, entry: TimelineEntry, fact: str
) -> bool:
    """Add the entry unless the order's timeline already records `fact`; True if added."""
    added = await session.execute(
        insert(order_timeline)
        .values(
            order_id=order_id,
            type=entry.type,
            source=entry.source,
            occurred_at=entry.occurred_at,
            detail=entry.detail,
            fact=fact,
        )
        .on_conflict_do_nothing(
            index_elements=[order_timeline.c.order_id, order_timeline.c.fact],
            index_where=order_timeline.c.fact.is_not(None),
        )
        .returning(order_timeline.c.id)
    )
    return added.first() is not None


async def lock_progress(session: AsyncSession, order_id: str) -> tuple[Order, Progress] | None:
    """The order (without lines or timeline) and its progress, row-locked until commit.

    The lock queues the consumer and a cancel request for the same order one behind the
    other, so each derives its statuses from every fact committed before it.
    """
    row = (
        await session.execute(select(orders).where(orders.c.id == order_id).with_for_update())
    ).one_or_none()
    if row is None:
        return None
    progress = Progress(**{fact.value: getattr(row, f"{fact.value}_at") for fact in Fact})
    return _order_of(row, cart=None, timeline=()), progress


async def save_progress(
    session: AsyncSession, order_id: str, progress: Progress, statuses: Statuses, now: datetime
) -> None:
    await session.execute(
        update(orders)
        .where(orders.c.id == order_id)
        .values(
            status=statuses.status.value,
            fulfillment_status=statuses.fulfillment,
            payment_status=statuses.payment,
            notification_status=statuses.notification,
            updated_at=now,
            **progress.as_columns(),
        )
    )


async def supersede(session: AsyncSession, earlier: str, by: str) -> None:
    """`earlier` (a transient failure's order) and whatever it superseded now name `by`,
    the one order of their Idempotency-Key."""
    await session.execute(
        update(orders)
        .where((orders.c.id == earlier) | (orders.c.superseded_by == earlier))
        .values(superseded_by=by)
    )


async def set_compensation(
    session: AsyncSession, order_id: str, status: str, failures: list[str], now: datetime
) -> bool:
    """False if there is no such order (a checkout that stored nothing)."""
    updated = await session.execute(
        update(orders)
        .where(orders.c.id == order_id)
        .values(compensation_status=status, compensation_failures=failures or None, updated_at=now)
        .returning(orders.c.id)
    )
    return updated.first() is not None


async def get_order(session: AsyncSession, order_id: str) -> tuple[Order, dict[str, Any]] | None:
    """The order and its bookkeeping extras (compensation state), or None."""
    row = (await session.execute(select(orders).where(orders.c.id == order_id))).one_or_none()
    if row is None:
        return None
    lines = await session.execute(
        select(order_lines)
        .where(order_lines.c.order_id == order_id)
        .order_by(order_lines.c.line_no)
    )
    events = await session.execute(
        select(order_timeline)
        .where(order_timeline.c.order_id == order_id)
        .order_by(order_timeline.c.occurred_at, order_timeline.c.id)
    )
    cart = PricedCart(
        quote_id=row.quote_id or "",
        lines=tuple(OrderLine(li.sku, li.name, li.quantity, li.unit_price) for li in lines),
        subtotal=row.subtotal,
        shipping=row.shipping,
        tax=row.tax,
        total=row.total,
    )
    timeline = tuple(TimelineEntry(e.type, e.source, e.occurred_at, e.detail) for e in events)
    order = _order_of(row, cart=cart, timeline=timeline)
    extras = {
        "compensation_status": row.compensation_status,
        "compensation_failures": row.compensation_failures or [],
        "updated_at": row.updated_at,
    }
    return order, extras


async def confirmation_events(session: AsyncSession, order_id: str) -> dict[str, str]:
    """The order's confirmation in the outbox (keyed by the order id), type -> event id:
    its OrderConfirmed (v1 before ADR 0010, v2 since) and, since v2, its
    OrderContactShared. Empty when there is none."""
    outbox = messaging.outbox
    rows = await session.execute(
        select(outbox.c.type, outbox.c.event_id)
        # The types inlined, not bound: it is what lets the partial index match.
        .where(
            outbox.c.key == order_id,
            outbox.c.type.in_(literal(t, literal_execute=True) for t in CONFIRMATION_TYPES),
        )
        .order_by(outbox.c.id)
    )
    return {row.type: row.event_id for row in rows}


def _order_of(row: Any, *, cart: PricedCart | None, timeline: tuple[TimelineEntry, ...]) -> Order:
    return Order(
        id=row.id,
        status=OrderStatus(row.status),
        customer_id=row.customer_id,
        customer_email=row.customer_email,
        currency=row.currency,
        shipping_address=Address(**row.shipping_address),
        created_at=row.created_at,
        cart=cart,
        reservation_id=row.reservation_id,
        authorization_id=row.authorization_id,
        reject_reason=row.reject_reason,
        fulfillment_status=row.fulfillment_status,
        payment_status=row.payment_status,
        notification_status=row.notification_status,
        timeline=timeline,
        superseded_by=row.superseded_by,
    )

"""Reads and writes of orders, their lines and timeline, in the caller's session."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from checkout.adapters.tables import order_lines, order_timeline, orders
from checkout.domain.orders import (
    Address,
    Order,
    OrderLine,
    OrderStatus,
    PricedCart,
    TimelineEntry,
)


async def add_order(session: AsyncSession, order: Order, *, compensation_status: str) -> None:
    cart = order.cart
    await session.execute(
        orders.insert().values(
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
    )
    if cart and cart.lines:
        await session.execute(
            order_lines.insert(),
            [
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
            ],
        )
    for entry in order.timeline:
        await add_timeline_entry(session, order.id, entry)


async def add_timeline_entry(session: AsyncSession, order_id: str, entry: TimelineEntry) -> None:
    await session.execute(
        order_timeline.insert().values(
            order_id=order_id,
            type=entry.type,
            source=entry.source,
            occurred_at=entry.occurred_at,
            detail=entry.detail,
        )
    )


async def set_compensation(
    session: AsyncSession, order_id: str, status: str, failures: list[str], now: datetime
) -> None:
    await session.execute(
        update(orders)
        .where(orders.c.id == order_id)
        .values(compensation_status=status, compensation_failures=failures or None, updated_at=now)
    )


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
    order = Order(
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
        timeline=tuple(TimelineEntry(e.type, e.source, e.occurred_at, e.detail) for e in events),
    )
    extras = {
        "compensation_status": row.compensation_status,
        "compensation_failures": row.compensation_failures or [],
        "updated_at": row.updated_at,
    }
    return order, extras

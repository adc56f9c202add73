"""Returns' copy of orders and shipments, in the caller's session (its transaction)."""

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from returns.adapters.tables import order_lines, orders, shipped_lines
from returns.domain.orders import OrderedLine, ReturnableOrder


async def add_order(
    session: AsyncSession, order: ReturnableOrder, *, confirmed_at: datetime
) -> None:
    """Store the order once; an OrderConfirmed delivered again changes nothing."""
    written = await session.execute(
        insert(orders)
        .values(
            order_id=order.order_id,
            customer_id=order.customer_id,
            currency=order.currency,
            total=order.total,
            confirmed_at=confirmed_at,
        )
        .on_conflict_do_nothing(index_elements=[orders.c.order_id])
        .returning(orders.c.order_id)
    )
    if written.first() is None:
        return
    await session.execute(
        insert(order_lines),
        [
            {
                "order_id": order.order_id,
                "sku": line.sku,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
            }
            for line in order.lines
        ],
    )


async def add_shipment(
    session: AsyncSession,
    *,
    order_id: str,
    shipment_id: str,
    lines: dict[str, int],
    shipped_at: datetime,
) -> None:
    await session.execute(
        insert(shipped_lines)
        .values(
            [
                {
                    "shipment_id": shipment_id,
                    "sku": sku,
                    "order_id": order_id,
                    "quantity": quantity,
                    "shipped_at": shipped_at,
                }
                for sku, quantity in lines.items()
            ]
        )
        .on_conflict_do_nothing(index_elements=[shipped_lines.c.shipment_id, shipped_lines.c.sku])
    )


async def lock_order(session: AsyncSession, order_id: str) -> ReturnableOrder | None:
    """The order with what shipped, its row locked: two returns of one order are serialised,
    so together they never take back more than shipped."""
    row = (
        await session.execute(select(orders).where(orders.c.order_id == order_id).with_for_update())
    ).one_or_none()
    if row is None:
        return None
    lines = (
        await session.execute(
            select(order_lines)
            .where(order_lines.c.order_id == order_id)
            .order_by(order_lines.c.sku)
        )
    ).all()
    shipped = (
        await session.execute(
            select(
                shipped_lines.c.sku,
                func.sum(shipped_lines.c.quantity).label("quantity"),
                func.min(shipped_lines.c.shipped_at).label("shipped_at"),
            )
            .where(shipped_lines.c.order_id == order_id)
            .group_by(shipped_lines.c.sku)
        )
    ).all()
    return ReturnableOrder(
        order_id=row.order_id,
        customer_id=row.customer_id,
        currency=row.currency,
        total=row.total,
        lines=tuple(OrderedLine(line.sku, line.quantity, line.unit_price) for line in lines),
        shipped={s.sku: int(s.quantity) for s in shipped},
        shipped_at=min((s.shipped_at for s in shipped), default=None),
    )

"""Reads and writes of shipments and backorders, in the caller's session (its transaction)."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from fulfillment.adapters.tables import backorders, shipment_lines, shipments
from fulfillment.domain.allocation import Line
from fulfillment.domain.shipments import Backorder, BackorderStatus, Shipment, ShipmentStatus


async def add_shipment(session: AsyncSession, shipment: Shipment) -> None:
    await session.execute(
        shipments.insert().values(
            id=shipment.id,
            order_id=shipment.order_id,
            warehouse_id=shipment.warehouse_id,
            status=shipment.status.value,
            carrier=shipment.carrier,
            tracking=shipment.tracking,
            created_at=shipment.created_at,
            dispatched_at=shipment.dispatched_at,
        )
    )
    await session.execute(
        shipment_lines.insert(),
        [
            {"shipment_id": shipment.id, "sku": line.sku, "quantity": line.quantity}
            for line in shipment.lines
        ],
    )


async def get_shipment(session: AsyncSession, shipment_id: str) -> Shipment | None:
    found = await _shipments_where(session, shipments.c.id == shipment_id)
    return found[0] if found else None


async def shipments_for_order(session: AsyncSession, order_id: str) -> list[Shipment]:
    return await _shipments_where(session, shipments.c.order_id == order_id)


async def _shipments_where(session: AsyncSession, condition: Any) -> list[Shipment]:
    rows = (
        await session.execute(select(shipments).where(condition).order_by(shipments.c.id))
    ).all()
    if not rows:
        return []
    line_rows = await session.execute(
        select(shipment_lines)
        .where(shipment_lines.c.shipment_id.in_([row.id for row in rows]))
        .order_by(shipment_lines.c.sku)
    )
    lines: dict[str, list[Line]] = {}
    for line in line_rows:
        lines.setdefault(line.shipment_id, []).append(Line(line.sku, line.quantity))
    return [
        Shipment(
            id=row.id,
            order_id=row.order_id,
            warehouse_id=row.warehouse_id,
            status=ShipmentStatus(row.status),
            lines=tuple(lines.get(row.id, [])),
            created_at=row.created_at,
            carrier=row.carrier,
            tracking=row.tracking,
            dispatched_at=row.dispatched_at,
        )
        for row in rows
    ]


async def add_backorder(session: AsyncSession, backorder: Backorder) -> None:
    await session.execute(
        backorders.insert().values(
            id=backorder.id,
            order_id=backorder.order_id,
            status=backorder.status.value,
            skus_short=list(backorder.skus_short),
            lines=[{"sku": line.sku, "quantity": line.quantity} for line in backorder.lines],
            created_at=backorder.created_at,
            released_at=backorder.released_at,
        )
    )


async def get_backorder(session: AsyncSession, backorder_id: str) -> Backorder | None:
    found = await _backorders_where(session, backorders.c.id == backorder_id)
    return found[0] if found else None


async def backorders_for_order(session: AsyncSession, order_id: str) -> list[Backorder]:
    return await _backorders_where(session, backorders.c.order_id == order_id)


async def _backorders_where(session: AsyncSession, condition: Any) -> list[Backorder]:
    rows = await session.execute(select(backorders).where(condition).order_by(backorders.c.id))
    return [
        Backorder(
            id=row.id,
            order_id=row.order_id,
            status=BackorderStatus(row.status),
            skus_short=tuple(row.skus_short),
            lines=tuple(Line(**line) for line in row.lines),
            created_at=row.created_at,
            released_at=row.released_at,
        )
        for row in rows
    ]

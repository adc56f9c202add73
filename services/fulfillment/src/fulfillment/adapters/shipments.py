"""Reads and writes of shipments and backorders, in the caller's session (its transaction).

Backorder rows are locked oldest first, so two replenishments retrying overlapping
backorders queue behind each other instead of deadlocking.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from shop_servicekit import Page, Window, read_page
from sqlalchemy import cast, func, select, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from fulfillment.adapters.tables import backorders, shipment_lines, shipments, warehouses
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


async def lock_order(session: AsyncSession, order_id: str) -> None:
    """Serialize work on one order until the transaction ends.

    Two deliveries of one business fact under different event ids (a republish) could
    otherwise both see "nothing yet" and record a shipment and a backorder side by side.
    """
    await session.execute(select(func.pg_advisory_xact_lock(func.hashtext(order_id))))


async def save_dispatch(session: AsyncSession, shipment: Shipment) -> None:
    await session.execute(
        update(shipments)
        .where(shipments.c.id == shipment.id)
        .values(
            status=shipment.status.value,
            carrier=shipment.carrier,
            tracking=shipment.tracking,
            dispatched_at=shipment.dispatched_at,
        )
    )


async def lock_due_shipments(
    session: AsyncSession, created_before: datetime, limit: int
) -> list[tuple[Shipment, str]]:
    """Up to `limit` CREATED shipments older than `created_before` that no one else has
    locked, oldest first, each with its warehouse's country."""
    rows = (
        await session.execute(
            select(shipments.c.id, warehouses.c.country)
            .join(warehouses, warehouses.c.id == shipments.c.warehouse_id)
            .where(shipments.c.status == ShipmentStatus.CREATED.value)
            .where(shipments.c.created_at <= created_before)
            .order_by(shipments.c.created_at, shipments.c.id)
            .limit(limit)
            .with_for_update(of=shipments, skip_locked=True)
        )
    ).all()
    countries = {row.id: row.country for row in rows}
    found = await _shipments_where(session, shipments.c.id.in_(countries))
    return sorted(
        ((shipment, countries[shipment.id]) for shipment in found),
        key=lambda pair: (pair[0].created_at, pair[0].id),
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
            cancelled_at=backorder.cancelled_at,
        )
    )


async def save_backorder_status(session: AsyncSession, backorder: Backorder) -> None:
    await session.execute(
        update(backorders)
        .where(backorders.c.id == backorder.id)
        .values(
            status=backorder.status.value,
            released_at=backorder.released_at,
            cancelled_at=backorder.cancelled_at,
        )
    )


async def lock_open_backorders_of(session: AsyncSession, sku: str) -> list[Backorder]:
    """The OPEN backorders with a line of `sku`, oldest first, locked until commit."""
    return await _backorders_where(
        session,
        (backorders.c.status == BackorderStatus.OPEN.value)
        & cast(backorders.c.lines, JSONB).contains([{"sku": sku}]),
        lock=True,
    )


async def lock_backorder_of_order(session: AsyncSession, order_id: str) -> Backorder | None:
    found = await _backorders_where(session, backorders.c.order_id == order_id, lock=True)
    return found[0] if found else None


async def get_backorder(session: AsyncSession, backorder_id: str) -> Backorder | None:
    found = await _backorders_where(session, backorders.c.id == backorder_id)
    return found[0] if found else None


async def backorders_for_order(session: AsyncSession, order_id: str) -> list[Backorder]:
    return await _backorders_where(session, backorders.c.order_id == order_id)


async def _backorders_where(
    session: AsyncSession, condition: Any, *, lock: bool = False
) -> list[Backorder]:
    query = select(backorders).where(condition).order_by(backorders.c.created_at, backorders.c.id)
    rows = await session.execute(query.with_for_update() if lock else query)
    return [
        Backorder(
            id=row.id,
            order_id=row.order_id,
            status=BackorderStatus(row.status),
            skus_short=tuple(row.skus_short),
            lines=tuple(Line(**line) for line in row.lines),
            created_at=row.created_at,
            released_at=row.released_at,
            cancelled_at=row.cancelled_at,
        )
        for row in rows
    ]


async def shipments_page(session: AsyncSession, window: Window) -> Page:
    """Reconciliation's read (GET /internal/v1/shipments): one keyset page."""
    t = shipments
    query = select(t.c.id, t.c.order_id, t.c.status, t.c.warehouse_id, t.c.created_at)
    return await read_page(session, query, t.c.created_at, t.c.id, window, render=_shipment_item)


async def backorders_page(session: AsyncSession, window: Window) -> Page:
    """Reconciliation's read (GET /internal/v1/backorders): one keyset page."""
    t = backorders
    query = select(t.c.id, t.c.order_id, t.c.status, t.c.created_at)
    return await read_page(session, query, t.c.created_at, t.c.id, window, render=_backorder_item)


def _shipment_item(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "shipment_id": row["id"],
        "order_id": row["order_id"],
        "status": row["status"],
        "warehouse_id": row["warehouse_id"],
        "created_at": row["created_at"],
    }


def _backorder_item(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "backorder_id": row["id"],
        "order_id": row["order_id"],
        "status": row["status"],
        "created_at": row["created_at"],
    }

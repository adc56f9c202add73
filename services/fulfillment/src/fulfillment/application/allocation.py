"""Use case: allocate a confirmed order, shipping it from one warehouse or backordering it.

A consumer handler: it runs inside the inbox transaction and never commits. Idempotent per
order, not only per event: an order that already has a shipment or a backorder is left
alone, so a republish of OrderConfirmed under a new event id changes nothing.
"""

import logging
from datetime import datetime

from shop_contracts import (
    BackorderDeclared,
    CloudEvent,
    OrderConfirmedV2,
    ShipmentCreated,
    ShipmentLine,
)
from shop_messaging import Outbox
from shop_servicekit import Clock, new_id
from sqlalchemy.ext.asyncio import AsyncSession

from fulfillment.adapters import shipments, warehouses
from fulfillment.domain.allocation import Allocated, Line, allocate
from fulfillment.domain.shipments import Backorder, BackorderStatus, Shipment, ShipmentStatus

log = logging.getLogger(__name__)


async def allocate_order(
    session: AsyncSession, event: CloudEvent[OrderConfirmedV2], *, outbox: Outbox, clock: Clock
) -> None:
    order = event.data
    now = clock()
    await shipments.lock_order(session, order.order_id)
    if await _already_allocated(session, order.order_id):
        log.info(
            "order %s is already allocated", order.order_id, extra={"order_id": order.order_id}
        )
        return
    lines = [Line(line.sku, line.quantity) for line in order.lines]
    stock = await warehouses.lock_stock(session, (line.sku for line in lines))
    result = allocate(lines, stock)
    if isinstance(result, Allocated):
        await ship(session, outbox, order.order_id, result, now=now)
        return
    backorder = Backorder(
        id=new_id("bo"),
        order_id=order.order_id,
        status=BackorderStatus.OPEN,
        skus_short=result.skus_short,
        lines=result.lines,
        created_at=now,
    )
    await shipments.add_backorder(session, backorder)
    await outbox.add(
        session, BackorderDeclared(order_id=order.order_id, skus_short=result.skus_short)
    )
    log.info(
        "order %s backordered, short of %s",
        order.order_id,
        ", ".join(result.skus_short),
        extra={"order_id": order.order_id},
    )


async def ship(
    session: AsyncSession, outbox: Outbox, order_id: str, allocated: Allocated, *, now: datetime
) -> Shipment:
    """Pick the allocated lines and record the shipment, with its ShipmentCreated.

    The caller holds the bin locks (`warehouses.lock_stock`) and has checked that the
    order has no shipment yet.
    """
    shipment = Shipment(
        id=new_id("shp"),
        order_id=order_id,
        warehouse_id=allocated.warehouse_id,
        status=ShipmentStatus.CREATED,
        lines=allocated.lines,
        created_at=now,
    )
    await warehouses.take_stock(session, allocated.warehouse_id, allocated.lines)
    await shipments.add_shipment(session, shipment)
    await outbox.add(
        session,
        ShipmentCreated(
            order_id=order_id,
            shipment_id=shipment.id,
            warehouse_id=shipment.warehouse_id,
            lines=tuple(
                ShipmentLine(sku=line.sku, quantity=line.quantity) for line in shipment.lines
            ),
        ),
    )
    log.info(
        "order %s ships from %s as %s",
        order_id,
        shipment.warehouse_id,
        shipment.id,
        extra={"order_id": order_id},
    )
    return shipment


async def _already_allocated(session: AsyncSession, order_id: str) -> bool:
    return bool(
        await shipments.shipments_for_order(session, order_id)
        or await shipments.backorders_for_order(session, order_id)
    )

"""Use case: goods received. Shelve them, then ship the backorders they unblock.

A consumer handler of StockReplenished: it runs inside the inbox transaction and never
commits. Receipts are counted per event id: the inbox turns a redelivery into a no-op,
while a StockReplenished under a new event id is a new delivery of goods and is shelved
again. That is right for goods receipts, which have no business key of their own; whoever
republishes one (a repair) must reuse its event id.

Open backorders holding the SKU are retried oldest first against the stock as it stands
after each release, so an earlier order is never overtaken by a later one for the same
units. A backorder still short stays OPEN with its original shortfall.
"""

import logging

from shop_contracts import CloudEvent, StockReplenished
from shop_messaging import Outbox
from shop_servicekit import Clock
from sqlalchemy.ext.asyncio import AsyncSession

from fulfillment.adapters import shipments, warehouses
from fulfillment.application.allocation import ship
from fulfillment.domain.allocation import Allocated, allocate
from fulfillment.domain.shipments import release

log = logging.getLogger(__name__)


async def receive_stock(
    session: AsyncSession,
    event: CloudEvent[StockReplenished],
    *,
    outbox: Outbox,
    warehouse_id: str,
    clock: Clock,
) -> None:
    received = event.data
    waiting = await shipments.lock_open_backorders_of(session, received.sku)
    # Lock every bin these backorders could ship from before changing any, in one
    # statement and in key order: the same order allocation takes them in.
    skus = {received.sku} | {line.sku for backorder in waiting for line in backorder.lines}
    stock = await warehouses.lock_stock(session, skus)
    await warehouses.add_stock(session, warehouse_id, received.sku, received.quantity)
    stock = [
        w.received(received.sku, received.quantity) if w.id == warehouse_id else w for w in stock
    ]
    log.info("received %d of %s at %s", received.quantity, received.sku, warehouse_id)

    moment = clock()
    for backorder in waiting:
        result = allocate(backorder.lines, stock)
        if not isinstance(result, Allocated):
            continue
        # A backorder is only ever OPEN without a shipment (allocation records one or the
        # other under the order's lock), so releasing it cannot ship an order twice.
        await shipments.save_backorder_status(session, release(backorder, now=moment))
        await ship(session, outbox, backorder.order_id, result, now=moment)
        stock = [w.picked(result.lines) if w.id == result.warehouse_id else w for w in stock]

"""The `work` process's subscription table and its dispatch loop.

What Fulfillment consumes, as group `fulfillment`, and which handler each event runs. The
topics follow from the table, so adding an event here is the whole subscription change.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import partial

from shop_contracts import Event, OrderCancelled, OrderConfirmed, StockReplenished
from shop_messaging import Handler, Outbox

from fulfillment.application.allocation import allocate_order
from fulfillment.application.cancellation import cancel_backorder
from fulfillment.application.replenishment import receive_stock

log = logging.getLogger(__name__)

GROUP = "fulfillment"


def subscriptions(
    outbox: Outbox, *, receiving_warehouse_id: str, now: Callable[[], datetime]
) -> dict[type[Event], Handler]:
    return {
        OrderConfirmed: partial(allocate_order, outbox=outbox, now=now),
        OrderCancelled: partial(cancel_backorder, now=now),
        StockReplenished: partial(
            receive_stock, outbox=outbox, warehouse_id=receiving_warehouse_id, now=now
        ),
    }


async def dispatch_due(
    dispatch: Callable[[], Awaitable[int]], *, interval: float, batch: int
) -> None:
    """Run `dispatch` every `interval` seconds, back to back while it finds full batches."""
    while True:
        try:
            dispatched = await dispatch()
        except Exception:
            # A database blip must not kill the loop; the next pass picks the shipments up.
            log.exception("dispatch pass failed; retrying in %.1fs", interval)
            dispatched = 0
        if dispatched:
            log.info("dispatched %d shipments", dispatched)
        if dispatched < batch:
            await asyncio.sleep(interval)

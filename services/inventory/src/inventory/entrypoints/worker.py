"""The `work` process's subscription table and its expiry sweep.

What Inventory consumes, as group `inventory`, and which handler each event runs. The
topics follow from the table, so adding an event here is the whole subscription change.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import partial

from shop_contracts import Event, OrderCancelled, OrderConfirmed, ShipmentCreated
from shop_messaging import Handler, Outbox

from inventory.application.orders import (
    commit_reservation,
    confirm_reservation,
    release_cancelled_order,
)

log = logging.getLogger(__name__)

GROUP = "inventory"


def subscriptions(outbox: Outbox, *, now: Callable[[], datetime]) -> dict[type[Event], Handler]:
    return {
        OrderConfirmed: partial(confirm_reservation, now=now),
        OrderCancelled: partial(release_cancelled_order, outbox=outbox, now=now),
        ShipmentCreated: partial(commit_reservation, outbox=outbox, now=now),
    }


async def sweep_expired(
    expire: Callable[[], Awaitable[int]], *, interval: float, batch: int
) -> None:
    """Run `expire` every `interval` seconds, back to back while it finds full batches."""
    while True:
        try:
            expired = await expire()
        except Exception:
            # A database blip must not kill the sweep; the next pass picks the holds up.
            log.exception("expiry sweep failed; retrying in %.1fs", interval)
            expired = 0
        if expired:
            log.info("expired %d reservations", expired)
        if expired < batch:
            await asyncio.sleep(interval)

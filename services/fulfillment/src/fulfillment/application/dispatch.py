"""Use case: hand shipments that have waited long enough to their carrier.

Run by the worker as a `shop_servicekit.periodic` task. `FOR UPDATE SKIP LOCKED` lets
several workers dispatch at once without handing a shipment over twice or waiting on each
other; a shipment is only ever moved from CREATED, so a repeated pass finds nothing to do.
"""

from datetime import timedelta

from shop_contracts import ShipmentDispatchedV2
from shop_messaging import Outbox
from shop_servicekit import Clock
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fulfillment.adapters import shipments
from fulfillment.domain.carriers import carrier_for, tracking_number
from fulfillment.domain.shipments import dispatch


async def dispatch_shipments(
    sessions: async_sessionmaker[AsyncSession],
    outbox: Outbox,
    *,
    clock: Clock,
    delay: timedelta,
    limit: int,
) -> int:
    """Dispatch up to `limit` shipments created at least `delay` ago; return how many."""
    now = clock()
    async with sessions.begin() as session:
        due = await shipments.lock_due_shipments(session, now - delay, limit)
        for shipment, country in due:
            carrier = carrier_for(country)
            dispatched = dispatch(
                shipment, carrier=carrier, tracking=tracking_number(carrier, shipment.id), now=now
            )
            await shipments.save_dispatch(session, dispatched)
            await outbox.add(
                session,
                ShipmentDispatchedV2(
                    order_id=dispatched.order_id,
                    shipment_id=dispatched.id,
                    carrier=dispatched.carrier,
                    tracking_number=dispatched.tracking,
                    dispatched_at=now,
                ),
            )
        return len(due)

"""Use case: an order was cancelled. Cancel its open backorder; a shipment stays.

A consumer handler of OrderCancelled: it runs inside the inbox transaction and never
commits. Cancelling a backorder publishes nothing: no one acts on it (Inventory releases
the hold on OrderCancelled itself), and the backorder's state is readable over HTTP.
A shipment already created is not undone here; taking goods back is a return, which
operations and reconciliation handle. Repeats change nothing.
"""

import logging

from shop_contracts import CloudEvent, OrderCancelled
from shop_servicekit import Clock
from sqlalchemy.ext.asyncio import AsyncSession

from fulfillment.adapters import shipments
from fulfillment.domain.shipments import cancel

log = logging.getLogger(__name__)


async def cancel_backorder(
    session: AsyncSession, event: CloudEvent[OrderCancelled], *, clock: Clock
) -> None:
    order_id = event.data.order_id
    await shipments.lock_order(session, order_id)
    backorder = await shipments.lock_backorder_of_order(session, order_id)
    if backorder is not None:
        cancelled = cancel(backorder, now=clock())
        if cancelled is not backorder:
            await shipments.save_backorder_status(session, cancelled)
            log.info("backorder %s cancelled", backorder.id, extra={"order_id": order_id})
            return
    if await shipments.shipments_for_order(session, order_id):
        log.warning(
            "order %s was cancelled after its shipment was created; left to returns",
            order_id,
            extra={"order_id": order_id},
        )

"""Consumer handler: a cancelled order's hold on the customer's funds is lifted.

It runs inside the inbox transaction and never commits. Naturally idempotent: voiding a
VOIDED authorization changes nothing and publishes nothing, so a second delivery, or an
OrderCancelled republished under a new event id, is a no-op.

An order cancelled after its payment was captured cannot be voided: the money is taken
and only a refund gives it back. Refunds are not this handler's business (and
PaymentCaptureFailed would tell a falsehood), so it logs and leaves the order to
reconciliation, which reports a cancelled-but-captured order.
"""

import logging

from shop_contracts import CloudEvent, OrderCancelled
from shop_messaging import Outbox
from shop_servicekit import Clock
from sqlalchemy.ext.asyncio import AsyncSession

from payment.adapters import repository
from payment.application.authorizations import void_found
from payment.domain.authorizations import AlreadyCaptured

log = logging.getLogger(__name__)

ORDER_CANCELLED = "order-cancelled"


async def void_cancelled_order(
    session: AsyncSession, event: CloudEvent[OrderCancelled], *, outbox: Outbox, clock: Clock
) -> None:
    order_id = event.data.order_id
    found = await repository.get_live_for_order(session, order_id, lock=True)
    try:
        voided = await void_found(session, outbox, found, now=clock(), reason=ORDER_CANCELLED)
    except AlreadyCaptured as captured:
        log.warning(
            "order %s was cancelled after %s was captured: needs a refund",
            order_id,
            captured.authorization_id,
            extra={"order_id": order_id},
        )
        return
    if voided is None:
        # Checkout only cancels orders it confirmed, which it authorized first; nothing
        # held means nothing to give back.
        log.info("order %s was cancelled with nothing held", order_id, extra={"order_id": order_id})

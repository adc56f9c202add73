"""Consumer handler: a shipped order's payment is captured (on ShipmentCreated).

It runs inside the inbox transaction and never commits. Idempotent on the order, not only
on the event id: an authorization already CAPTURED is left alone, and a capture failure is
reported once per authorization, so a ShipmentCreated republished under a new event id
(reconciliation) changes nothing. The authorization row is locked (FOR UPDATE) so a
capture and a concurrent void of the same order are serialised: whichever comes second
sees the other's outcome.

`capture_order_authorization` is reconciliation's repair for a shipped order whose
ShipmentCreated never arrived: the same capture (`capture_found`), in a transaction of its
own. A refusal there (VOIDED, DECLINED) is the caller's 409 and changes nothing: no
capture failure is recorded, no event is written; reconciliation reports the finding.
"""

import logging
from datetime import datetime

from shop_contracts import CloudEvent, Money, PaymentCaptured, PaymentCaptureFailed, ShipmentCreated
from shop_messaging import Outbox
from shop_servicekit import Clock, new_id
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from payment.adapters import captures, repository
from payment.domain.authorizations import Authorization, NotCapturable, capture

log = logging.getLogger(__name__)


async def capture_shipped_order(
    session: AsyncSession, event: CloudEvent[ShipmentCreated], *, outbox: Outbox, clock: Clock
) -> None:
    order_id = event.data.order_id
    authorization = await repository.get_live_for_order(
        session, order_id, lock=True
    ) or await repository.get_latest_declined_for_order(session, order_id)
    if authorization is None:
        # Nothing to name in a PaymentCaptureFailed (it needs an authorization id), and
        # retrying cannot make one appear: checkout authorizes before it confirms. Left to
        # reconciliation, which compares shipped orders with captures.
        log.warning(
            "order %s shipped but has no authorization to capture",
            order_id,
            extra={"order_id": order_id},
        )
        return
    now = clock()
    try:
        await capture_found(session, outbox, authorization, now=now)
    except NotCapturable as refused:
        await _report_failure(session, outbox, authorization, refused.reason, now)


async def capture_order_authorization(
    sessions: async_sessionmaker[AsyncSession], outbox: Outbox, order_id: str, *, clock: Clock
) -> Authorization | None:
    """Capture the order's authorization in one transaction of its own; the authorization
    after the capture (already CAPTURED: unchanged, nothing written), or None when the
    order has no authorization at all.

    Raises `NotCapturable` when it is VOIDED, or when the order has only DECLINED attempts.
    """
    async with sessions.begin() as session:
        authorization = await repository.get_live_for_order(
            session, order_id, lock=True
        ) or await repository.get_latest_declined_for_order(session, order_id)
        if authorization is None:
            return None
        return await capture_found(session, outbox, authorization, now=clock())


async def capture_found(
    session: AsyncSession, outbox: Outbox, authorization: Authorization, *, now: datetime
) -> Authorization:
    """Capture `authorization` (locked by the caller) in the caller's transaction: CAPTURED,
    a `captures` row and PaymentCaptured; one already CAPTURED is returned unchanged.

    Raises `NotCapturable` (VOIDED, DECLINED), having written nothing.
    """
    order_id = authorization.order_id
    captured = capture(authorization, now=now)
    if captured is authorization:
        log.info("order %s is already captured", order_id, extra={"order_id": order_id})
        return captured
    await repository.save_status(session, captured)
    await captures.add(session, new_id("cap"), captured)
    await outbox.add(
        session,
        PaymentCaptured(
            order_id=order_id,
            authorization_id=captured.id,
            amount=Money(amount=captured.amount, currency=captured.currency),
        ),
    )
    log.info("captured %s for order %s", captured.id, order_id, extra={"order_id": order_id})
    return captured


async def _report_failure(
    session: AsyncSession,
    outbox: Outbox,
    authorization: Authorization,
    reason: str,
    now: datetime,
) -> None:
    if not await captures.record_failure(session, authorization, reason, now):
        return  # reported before, for an earlier delivery of this shipment
    await outbox.add(
        session,
        PaymentCaptureFailed(
            order_id=authorization.order_id,
            authorization_id=authorization.id,
            amount=Money(amount=authorization.amount, currency=authorization.currency),
            reason=reason,
        ),
    )
    log.warning(
        "order %s shipped but %s cannot be captured: %s",
        authorization.order_id,
        authorization.id,
        reason,
        extra={"order_id": authorization.order_id},
    )

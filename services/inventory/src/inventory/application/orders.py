"""Use cases driven by an order's events: confirmed, shipped (ShipmentCreated), cancelled;
and the commit repair reconciliation calls when a ShipmentCreated was lost.

Consumer handlers: each runs inside the inbox transaction and never commits. Each is
idempotent on the order's reservation (one per order), not only on the event id, so a
republish under a new event id changes nothing either.

When the reservation is missing, or already released or expired, nothing is invented:
moving stock that was never held would corrupt the counts. The handler logs a warning and
returns (raising would only retry, then dead-letter, a fact that will not change); the
reconciliation service finds such orders by comparing states.
"""

import logging
from datetime import datetime

from shop_contracts import (
    CloudEvent,
    OrderCancelled,
    OrderConfirmedV2,
    ReservationCommitted,
    ShipmentCreated,
)
from shop_messaging import Outbox
from shop_servicekit import Clock
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from inventory.adapters import repository
from inventory.application.reservations import release_hold
from inventory.domain.reservations import (
    AlreadyCommitted,
    HoldEnded,
    Reservation,
    commit,
    confirm,
)

log = logging.getLogger(__name__)

ORDER_CANCELLED = "order-cancelled"


async def confirm_reservation(
    session: AsyncSession, event: CloudEvent[OrderConfirmedV2], *, clock: Clock
) -> None:
    """Keep the order's hold until it ships: a confirmed order's stock must not expire."""
    order_id = event.data.order_id
    found = await repository.get_reservation_by_order(session, order_id, lock=True)
    if found is None:
        _left_for_reconciliation(order_id, "confirmed", "it has no reservation")
        return
    try:
        confirmed = confirm(found, now=clock())
    except HoldEnded as exc:
        _left_for_reconciliation(order_id, "confirmed", str(exc))
        return
    if confirmed is not found:
        await repository.save_status(session, confirmed)


async def commit_reservation(
    session: AsyncSession, event: CloudEvent[ShipmentCreated], *, outbox: Outbox, clock: Clock
) -> None:
    """The goods left a warehouse: take the held quantities off on-hand and reserved."""
    order_id = event.data.order_id
    found = await repository.get_reservation_by_order(session, order_id, lock=True)
    if found is None:
        _left_for_reconciliation(order_id, "shipped", "it has no reservation")
        return
    try:
        await commit_hold(session, outbox, found, now=clock())
    except HoldEnded as exc:
        _left_for_reconciliation(order_id, "shipped", str(exc))


async def commit_order_reservation(
    sessions: async_sessionmaker[AsyncSession], outbox: Outbox, order_id: str, *, clock: Clock
) -> Reservation | None:
    """Reconciliation's repair for a shipped order whose ShipmentCreated never arrived: what
    the handler would have done, in one transaction of its own. The reservation after the
    commit, or None if the order holds none.

    Raises `HoldEnded` when the hold was released or expired (its stock is no longer held).
    """
    async with sessions.begin() as session:
        found = await repository.get_reservation_by_order(session, order_id, lock=True)
        if found is None:
            return None
        return await commit_hold(session, outbox, found, now=clock())


async def commit_hold(
    session: AsyncSession, outbox: Outbox, found: Reservation, *, now: datetime
) -> Reservation:
    """Commit a hold the caller has locked, in the caller's transaction; a hold already
    committed is returned unchanged (nothing moves, nothing is published).

    Raises `HoldEnded` when the hold was released or expired.
    """
    committed = commit(found, now=now)
    if committed is found:
        return committed
    await repository.save_status(session, committed)
    # What was held is what leaves: the shipment carries the order's lines whole (orders
    # are never split), so the reservation's own lines are the quantities to move.
    await repository.take_committed(session, committed.lines)
    await outbox.add(
        session, ReservationCommitted(order_id=committed.order_id, reservation_id=committed.id)
    )
    return committed


async def release_cancelled_order(
    session: AsyncSession, event: CloudEvent[OrderCancelled], *, outbox: Outbox, clock: Clock
) -> None:
    """Give a cancelled order's held stock back (ReservationReleased, "order-cancelled")."""
    order_id = event.data.order_id
    found = await repository.get_reservation_by_order(session, order_id, lock=True)
    if found is None:
        log.info("order %s was cancelled holding nothing", order_id, extra={"order_id": order_id})
        return
    try:
        await release_hold(session, outbox, found, now=clock(), reason=ORDER_CANCELLED)
    except AlreadyCommitted:
        log.warning(
            "order %s was cancelled after its goods shipped; left to returns",
            order_id,
            extra={"order_id": order_id},
        )


def _left_for_reconciliation(order_id: str, what: str, why: str) -> None:
    log.warning(
        "order %s %s but %s; left for reconciliation",
        order_id,
        what,
        why,
        extra={"order_id": order_id},
    )

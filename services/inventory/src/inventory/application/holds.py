"""Use cases that keep a confirmed order's hold from ending: checkout's confirm call, and
reconciliation's repair for a confirmed order whose hold ended anyway (docs/adr, "a hold
under a confirmed order").

    await confirm_order_reservation(sessions, "ord_1", clock=utc_now)   # TTL no longer applies
    await rehold_order_reservation(sessions, "ord_1", clock=utc_now)    # ended: held again

Both are idempotent, each one transaction. The OrderConfirmed handler
(application/orders.py) confirms too: whichever comes first wins, the other changes nothing.
"""

from shop_servicekit import Clock
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from inventory.adapters import repository
from inventory.domain.reservations import (
    Reservation,
    ReservationStatus,
    check_availability,
    confirm,
    rehold,
)


async def confirm_order_reservation(
    sessions: async_sessionmaker[AsyncSession], order_id: str, *, clock: Clock
) -> Reservation | None:
    """Keep the order's hold until it ships or is released; None if the order holds none.

    Raises `HoldEnded` when it was released or expired before the call.
    """
    async with sessions.begin() as session:
        found = await repository.get_reservation_by_order(session, order_id, lock=True)
        if found is None:
            return None
        confirmed = confirm(found, now=clock())
        if confirmed is not found:
            await repository.save_status(session, confirmed)
        return confirmed


async def rehold_order_reservation(
    sessions: async_sessionmaker[AsyncSession], order_id: str, *, clock: Clock
) -> Reservation | None:
    """Hold a confirmed order's ended hold again, if its stock is still there; None if the
    order holds none.

    Raises `OutOfStock` when the stock went to other orders meanwhile (nothing changes).
    """
    ended = (ReservationStatus.RELEASED, ReservationStatus.EXPIRED)
    async with sessions.begin() as session:
        found = await repository.get_reservation_by_order(session, order_id)
        if found is None:
            return None
        # Stock rows first, then the reservation, as a reserve does.
        stock = await repository.lock_stock(session, (sku for sku, _ in found.lines))
        found = await repository.get_reservation_by_order(session, order_id, lock=True)
        assert found is not None  # reservations are never deleted
        if found.status in ended:
            check_availability(found.lines, stock)
        held = rehold(found, now=clock())
        if held is not found:
            await repository.save_status(session, held)
            if found.status in ended:
                await repository.change_reserved(session, held.lines, +1)
        return held

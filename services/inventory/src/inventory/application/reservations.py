"""Use cases: hold stock for an order; release a hold by its id or by its order.

Each runs in one transaction; a release writes `ReservationReleased` to the outbox in that
same transaction, so the event exists exactly when the release does.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from shop_contracts import ReservationReleased
from shop_messaging import Outbox
from shop_servicekit import Clock, new_id
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from inventory.adapters import repository
from inventory.domain.reservations import (
    Line,
    Reservation,
    check_availability,
    hold,
    merge_lines,
    release,
    same_hold,
)

RELEASED_ON_REQUEST = "released on request"


@dataclass(frozen=True)
class ReserveStock:
    order_id: str
    items: list[Line]
    ttl: timedelta


async def reserve_stock(
    sessions: async_sessionmaker[AsyncSession],
    command: ReserveStock,
    *,
    clock: Clock,
) -> tuple[Reservation, bool]:
    """The order's hold and whether this call created it (False: an idempotent repeat)."""
    lines = merge_lines(command.items)
    try:
        return await _reserve(sessions, command, lines, clock())
    except IntegrityError:
        # A concurrent request for the same order but other SKUs (so not queued behind our
        # row locks) inserted first: the unique order_id stopped us; answer with its hold.
        async with sessions() as session:
            existing = await repository.get_reservation_by_order(session, command.order_id)
        if existing is None:
            raise
        return same_hold(existing, lines), False


async def _reserve(
    sessions: async_sessionmaker[AsyncSession],
    command: ReserveStock,
    lines: tuple[Line, ...],
    now: datetime,
) -> tuple[Reservation, bool]:
    async with sessions.begin() as session:
        # Lock first, then look for an earlier hold: a concurrent request for the same order
        # has committed by the time we hold the locks, so we see its reservation.
        stock = await repository.lock_stock(session, (sku for sku, _ in lines))
        existing = await repository.get_reservation_by_order(session, command.order_id)
        if existing is not None:
            return same_hold(existing, lines), False
        check_availability(lines, stock)
        reservation = hold(
            reservation_id=new_id("res"),
            order_id=command.order_id,
            lines=lines,
            now=now,
            ttl=command.ttl,
        )
        await repository.add_reservation(session, reservation)
        await repository.change_reserved(session, lines, +1)
        return reservation, True


async def release_reservation(
    sessions: async_sessionmaker[AsyncSession],
    outbox: Outbox,
    reservation_id: str,
    *,
    clock: Clock,
) -> Reservation | None:
    """The reservation after release, or None if there is no such reservation."""
    async with sessions.begin() as session:
        found = await repository.get_reservation(session, reservation_id, lock=True)
        return await release_hold(session, outbox, found, now=clock(), reason=RELEASED_ON_REQUEST)


async def release_order_reservation(
    sessions: async_sessionmaker[AsyncSession], outbox: Outbox, order_id: str, *, clock: Clock
) -> Reservation | None:
    """Release by order id (for a caller that never learned the reservation id)."""
    async with sessions.begin() as session:
        found = await repository.get_reservation_by_order(session, order_id, lock=True)
        return await release_hold(session, outbox, found, now=clock(), reason=RELEASED_ON_REQUEST)


async def release_hold(
    session: AsyncSession,
    outbox: Outbox,
    found: Reservation | None,
    *,
    now: datetime,
    reason: str,
) -> Reservation | None:
    """Release a hold the caller has locked, in the caller's transaction (None: no hold).

    Raises `AlreadyCommitted` when the goods have shipped.
    """
    if found is None:
        return None
    released = release(found, now=now, reason=reason)
    if released is not found:
        await end_holds(session, outbox, [released])
    return released


async def end_holds(session: AsyncSession, outbox: Outbox, ended: Sequence[Reservation]) -> None:
    """Persist holds that were HELD and just ended, give their stock back, tell others.

    Stock is updated once for the whole batch, in SKU order, so concurrent callers never
    lock the same rows in different orders.
    """
    for reservation in ended:
        await repository.save_status(session, reservation)
        await outbox.add(
            session,
            ReservationReleased(
                order_id=reservation.order_id,
                reservation_id=reservation.id,
                reason=reservation.release_reason or reservation.status.value.lower(),
            ),
        )
    await repository.change_reserved(session, (line for r in ended for line in r.lines), -1)

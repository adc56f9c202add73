"""Reads and writes of stock and reservations, in the caller's session (its transaction).

Stock rows are always locked and updated in SKU order, so two transactions touching the
same SKUs queue behind each other instead of deadlocking.
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from shop_servicekit import Page, Window, read_page
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from inventory.adapters.tables import reservation_lines, reservations, stock_items
from inventory.domain.reservations import Line, Reservation, ReservationStatus, StockLevel


async def get_stock(session: AsyncSession, sku: str) -> StockLevel | None:
    row = (await session.execute(select(stock_items).where(stock_items.c.sku == sku))).one_or_none()
    return None if row is None else StockLevel(row.sku, row.on_hand, row.reserved)


async def lock_stock(session: AsyncSession, skus: Iterable[str]) -> dict[str, StockLevel]:
    """The stock rows of `skus` that exist, locked until the transaction ends."""
    rows = await session.execute(
        select(stock_items)
        .where(stock_items.c.sku.in_(sorted(set(skus))))
        .order_by(stock_items.c.sku)
        .with_for_update()
    )
    return {row.sku: StockLevel(row.sku, row.on_hand, row.reserved) for row in rows}


async def change_reserved(session: AsyncSession, lines: Iterable[Line], sign: int) -> None:
    """Add (sign=1) or give back (sign=-1) each line's quantity to its SKU's `reserved`."""
    totals: dict[str, int] = {}
    for sku, quantity in lines:
        totals[sku] = totals.get(sku, 0) + quantity
    for sku in sorted(totals):
        await session.execute(
            update(stock_items)
            .where(stock_items.c.sku == sku)
            .values(reserved=stock_items.c.reserved + sign * totals[sku])
        )


async def take_committed(session: AsyncSession, lines: Iterable[Line]) -> None:
    """The goods of a committed hold left: off `on_hand` and off `reserved` alike."""
    totals: dict[str, int] = {}
    for sku, quantity in lines:
        totals[sku] = totals.get(sku, 0) + quantity
    for sku in sorted(totals):
        await session.execute(
            update(stock_items)
            .where(stock_items.c.sku == sku)
            .values(
                on_hand=stock_items.c.on_hand - totals[sku],
                reserved=stock_items.c.reserved - totals[sku],
            )
        )


async def add_on_hand(session: AsyncSession, sku: str, quantity: int) -> StockLevel:
    """Goods received: `on_hand` grows by `quantity`; the new level."""
    row = (
        await session.execute(
            update(stock_items)
            .where(stock_items.c.sku == sku)
            .values(on_hand=stock_items.c.on_hand + quantity)
            .returning(stock_items)
        )
    ).one()
    return StockLevel(row.sku, row.on_hand, row.reserved)


async def add_reservation(session: AsyncSession, reservation: Reservation) -> None:
    await session.execute(
        reservations.insert().values(
            id=reservation.id,
            order_id=reservation.order_id,
            status=reservation.status.value,
            created_at=reservation.created_at,
            expires_at=reservation.expires_at,
        )
    )
    await session.execute(
        reservation_lines.insert(),
        [{"reservation_id": reservation.id, "sku": s, "quantity": q} for s, q in reservation.lines],
    )


async def save_status(session: AsyncSession, reservation: Reservation) -> None:
    await session.execute(
        update(reservations)
        .where(reservations.c.id == reservation.id)
        .values(
            status=reservation.status.value,
            released_at=reservation.released_at,
            committed_at=reservation.committed_at,
            release_reason=reservation.release_reason,
            confirmed_at=reservation.confirmed_at,
        )
    )


async def get_reservation(
    session: AsyncSession, reservation_id: str, *, lock: bool = False
) -> Reservation | None:
    found = await _load(session, reservations.c.id == reservation_id, lock=lock)
    return found[0] if found else None


async def get_reservation_by_order(
    session: AsyncSession, order_id: str, *, lock: bool = False
) -> Reservation | None:
    found = await _load(session, reservations.c.order_id == order_id, lock=lock)
    return found[0] if found else None


async def lock_expired(session: AsyncSession, now: datetime, limit: int) -> list[Reservation]:
    """Up to `limit` HELD reservations of unconfirmed orders past their deadline that no one
    else has locked."""
    return await _load(
        session,
        (reservations.c.status == ReservationStatus.HELD.value)
        & reservations.c.confirmed_at.is_(None)
        & (reservations.c.expires_at <= now),
        lock=True,
        skip_locked=True,
        limit=limit,
    )


async def _load(
    session: AsyncSession,
    where: Any,
    *,
    lock: bool,
    skip_locked: bool = False,
    limit: int | None = None,
) -> list[Reservation]:
    query = select(reservations).where(where).order_by(reservations.c.expires_at).limit(limit)
    if lock:
        query = query.with_for_update(skip_locked=skip_locked)
    rows = (await session.execute(query)).all()
    if not rows:
        return []
    lines = await _lines(session, [row.id for row in rows])
    return [_reservation(row, lines.get(row.id, ())) for row in rows]


async def _lines(session: AsyncSession, ids: Sequence[str]) -> dict[str, tuple[Line, ...]]:
    rows = await session.execute(
        select(reservation_lines)
        .where(reservation_lines.c.reservation_id.in_(ids))
        .order_by(reservation_lines.c.reservation_id, reservation_lines.c.sku)
    )
    found: dict[str, tuple[Line, ...]] = {}
    for row in rows:
        found[row.reservation_id] = (*found.get(row.reservation_id, ()), (row.sku, row.quantity))
    return found


def _reservation(row: Any, lines: tuple[Line, ...]) -> Reservation:
    return Reservation(
        id=row.id,
        order_id=row.order_id,
        status=ReservationStatus(row.status),
        lines=lines,
        created_at=row.created_at,
        expires_at=row.expires_at,
        released_at=row.released_at,
        committed_at=row.committed_at,
        release_reason=row.release_reason,
        confirmed_at=row.confirmed_at,
    )


async def reservations_page(session: AsyncSession, window: Window) -> Page:
    """Reconciliation's read (GET /internal/v1/reservations): one keyset page."""
    t = reservations
    return await read_page(session, select(t), t.c.created_at, t.c.id, window, render=_page_item)


def _page_item(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "reservation_id": row["id"],
        "order_id": row["order_id"],
        "status": row["status"],
        "created_at": row["created_at"],
        "committed_at": row["committed_at"],
        # Set when the hold ended without shipping: RELEASED or EXPIRED.
        "released_at": row["released_at"],
        "confirmed_at": row["confirmed_at"],
    }

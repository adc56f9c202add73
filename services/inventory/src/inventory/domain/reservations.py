"""Stock holds: what a reservation may take, and how a hold ends. Standard library only.

A reservation takes every line or none (all-or-nothing). It starts HELD and ends exactly
once: RELEASED (by the caller), EXPIRED (its TTL ran out) or COMMITTED (the goods shipped).
Once its order is confirmed a hold is still HELD but no longer expires (`confirmed_at`): a
backordered order may wait for its goods far longer than any TTL, and must not lose them.
Transitions that already happened return the hold unchanged, so every command is idempotent.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

Line = tuple[str, int]
"""(sku, quantity)."""


class ReservationStatus(StrEnum):
    HELD = "HELD"
    RELEASED = "RELEASED"
    EXPIRED = "EXPIRED"
    COMMITTED = "COMMITTED"


class InventoryError(Exception):
    """Base of the reasons a reservation command is refused."""


class UnknownSkus(InventoryError):
    def __init__(self, skus: list[str]) -> None:
        super().__init__(f"unknown SKUs: {', '.join(skus)}")
        self.skus = skus


@dataclass(frozen=True)
class Shortage:
    sku: str
    requested: int
    available: int


class OutOfStock(InventoryError):
    def __init__(self, shortages: list[Shortage]) -> None:
        super().__init__("not enough stock of " + ", ".join(s.sku for s in shortages))
        self.shortages = shortages


class AlreadyCommitted(InventoryError):
    def __init__(self, reservation_id: str) -> None:
        super().__init__(f"reservation {reservation_id} is committed: the goods have shipped")
        self.reservation_id = reservation_id


class HoldEnded(InventoryError):
    """The hold was released or expired: it can no longer be confirmed or committed."""

    def __init__(self, reservation: "Reservation") -> None:
        super().__init__(f"reservation {reservation.id} is {reservation.status.value}")
        self.reservation_id = reservation.id
        self.status = reservation.status


class ReservationConflict(InventoryError):
    """The order already holds a reservation for other items."""

    def __init__(self, order_id: str, reservation_id: str) -> None:
        super().__init__(
            f"order {order_id} already has reservation {reservation_id} for other items"
        )
        self.order_id = order_id
        self.reservation_id = reservation_id


@dataclass(frozen=True)
class StockLevel:
    sku: str
    on_hand: int
    reserved: int

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


@dataclass(frozen=True)
class Reservation:
    id: str
    order_id: str
    status: ReservationStatus
    lines: tuple[Line, ...]
    created_at: datetime
    expires_at: datetime
    released_at: datetime | None = None
    committed_at: datetime | None = None
    release_reason: str | None = None
    confirmed_at: datetime | None = None


def merge_lines(items: Iterable[Line]) -> tuple[Line, ...]:
    """One line per SKU, in SKU order (the order stock rows are locked in)."""
    totals: dict[str, int] = {}
    for sku, quantity in items:
        totals[sku] = totals.get(sku, 0) + quantity
    return tuple(sorted(totals.items()))


def check_availability(lines: tuple[Line, ...], stock: Mapping[str, StockLevel]) -> None:
    """Raise unless every line can be held; name every unknown or short SKU, not the first."""
    unknown = [sku for sku, _ in lines if sku not in stock]
    if unknown:
        raise UnknownSkus(unknown)
    shortages = [
        Shortage(sku, quantity, max(stock[sku].available, 0))
        for sku, quantity in lines
        if quantity > stock[sku].available
    ]
    if shortages:
        raise OutOfStock(shortages)


def hold(
    *, reservation_id: str, order_id: str, lines: tuple[Line, ...], now: datetime, ttl: timedelta
) -> Reservation:
    return Reservation(
        id=reservation_id,
        order_id=order_id,
        status=ReservationStatus.HELD,
        lines=lines,
        created_at=now,
        expires_at=now + ttl,
    )


def same_hold(reservation: Reservation, lines: tuple[Line, ...]) -> Reservation:
    """The order's existing reservation, if it is for the same items (an idempotent retry).

    Raises `HoldEnded` if it was released or expired: answering it as held would let the
    caller confirm an order on stock nobody holds (a checkout retried after its hold ended).
    """
    if reservation.lines != lines:
        raise ReservationConflict(reservation.order_id, reservation.id)
    if reservation.status in (ReservationStatus.RELEASED, ReservationStatus.EXPIRED):
        raise HoldEnded(reservation)
    return reservation


def release(reservation: Reservation, *, now: datetime, reason: str) -> Reservation:
    """The hold released; unchanged if it already ended without shipping."""
    if reservation.status is ReservationStatus.COMMITTED:
        raise AlreadyCommitted(reservation.id)
    if reservation.status is not ReservationStatus.HELD:
        return reservation
    return replace(
        reservation, status=ReservationStatus.RELEASED, released_at=now, release_reason=reason
    )


def confirm(reservation: Reservation, *, now: datetime) -> Reservation:
    """The hold kept until it ships or is released: its TTL no longer applies."""
    if reservation.status in (ReservationStatus.RELEASED, ReservationStatus.EXPIRED):
        raise HoldEnded(reservation)
    if reservation.status is ReservationStatus.COMMITTED or reservation.confirmed_at is not None:
        return reservation
    return replace(reservation, confirmed_at=now)


def commit(reservation: Reservation, *, now: datetime) -> Reservation:
    """The hold turned into goods that left: COMMITTED; unchanged if it already was."""
    if reservation.status in (ReservationStatus.RELEASED, ReservationStatus.EXPIRED):
        raise HoldEnded(reservation)
    if reservation.status is ReservationStatus.COMMITTED:
        return reservation
    return replace(reservation, status=ReservationStatus.COMMITTED, committed_at=now)


def expire(reservation: Reservation, *, now: datetime) -> Reservation:
    """The hold expired if its TTL has run out and its order is not confirmed; unchanged
    otherwise."""
    if (
        reservation.status is not ReservationStatus.HELD
        or reservation.confirmed_at is not None
        or reservation.expires_at > now
    ):
        return reservation
    return replace(
        reservation, status=ReservationStatus.EXPIRED, released_at=now, release_reason="expired"
    )


def rehold(reservation: Reservation, *, now: datetime) -> Reservation:
    """A hold that ended under an order that still stands, held again and confirmed (no TTL);
    a hold still held is only confirmed, a committed one returned unchanged. The caller
    checks the stock is still there before taking it again."""
    if reservation.status is ReservationStatus.COMMITTED:
        return reservation
    if reservation.status is ReservationStatus.HELD:
        return confirm(reservation, now=now)
    return replace(
        reservation,
        status=ReservationStatus.HELD,
        released_at=None,
        release_reason=None,
        confirmed_at=now,
    )

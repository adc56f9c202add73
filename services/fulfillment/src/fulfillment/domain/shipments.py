"""What Fulfillment records about an order once allocated: a shipment or a backorder.

A shipment is CREATED (picked from one warehouse's bins) and then DISPATCHED (handed to a
carrier). A backorder is OPEN until a replenishment lets it ship (RELEASED, and a shipment
exists) or the order is cancelled first (CANCELLED). Transitions from any other state
return the record unchanged, so replaying a command never changes the outcome.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from fulfillment.domain.allocation import Line


class ShipmentStatus(StrEnum):
    CREATED = "CREATED"
    DISPATCHED = "DISPATCHED"


class BackorderStatus(StrEnum):
    OPEN = "OPEN"
    RELEASED = "RELEASED"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True)
class Shipment:
    id: str
    order_id: str
    warehouse_id: str
    status: ShipmentStatus
    lines: tuple[Line, ...]
    created_at: datetime
    carrier: str | None = None
    tracking: str | None = None
    dispatched_at: datetime | None = None


@dataclass(frozen=True)
class Backorder:
    id: str
    order_id: str
    status: BackorderStatus
    skus_short: tuple[str, ...]
    lines: tuple[Line, ...]
    created_at: datetime
    released_at: datetime | None = None
    cancelled_at: datetime | None = None


def dispatch(shipment: Shipment, *, carrier: str, tracking: str, now: datetime) -> Shipment:
    """The shipment handed to `carrier`; unchanged if it already left."""
    if shipment.status is not ShipmentStatus.CREATED:
        return shipment
    return replace(
        shipment,
        status=ShipmentStatus.DISPATCHED,
        carrier=carrier,
        tracking=tracking,
        dispatched_at=now,
    )


def release(backorder: Backorder, *, now: datetime) -> Backorder:
    """The backorder released (it ships now); unchanged unless it was OPEN."""
    if backorder.status is not BackorderStatus.OPEN:
        return backorder
    return replace(backorder, status=BackorderStatus.RELEASED, released_at=now)


def cancel(backorder: Backorder, *, now: datetime) -> Backorder:
    """The backorder cancelled with its order; unchanged unless it was OPEN."""
    if backorder.status is not BackorderStatus.OPEN:
        return backorder
    return replace(backorder, status=BackorderStatus.CANCELLED, cancelled_at=now)

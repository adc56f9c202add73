"""What Fulfillment records about an order once allocated: a shipment or a backorder."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from fulfillment.domain.allocation import Line


class ShipmentStatus(StrEnum):
    CREATED = "CREATED"
    DISPATCHED = "DISPATCHED"


class BackorderStatus(StrEnum):
    OPEN = "OPEN"
    RELEASED = "RELEASED"


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

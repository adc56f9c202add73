"""What each service says is true, as read through its internal read API, grouped by order.

    snapshot = Snapshot.of(orders=[...], reservations=[...], shipments=[...])
    snapshot.orders["ord_1"].status          # checkout's word
    snapshot.shipments.get("ord_1", ())      # fulfillment's word

One record type per source of truth (docs/reconciliation.md). Plain data, standard library
only: the adapters parse HTTP answers into these; the drift rules read nothing else.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Protocol, TypeVar

# Checkout statuses that mean "the customer was told yes and the order still stands".
CONFIRMED_STATUSES = frozenset(("CONFIRMED", "BACKORDERED", "SHIPPED", "COMPLETED"))


@dataclass(frozen=True, slots=True)
class OrderRecord:
    order_id: str
    status: str
    fulfillment_status: str
    payment_status: str
    notification_status: str
    reservation_id: str | None
    authorization_id: str | None
    created_at: datetime
    updated_at: datetime
    # Who the customer is and what the order costs: only checkout holds them, and a resent
    # notification needs them when communications never saw the order's OrderConfirmed.
    # None when the source does not say. The address is not evidence of any drift, so it
    # stays out of findings' evidence (it travels only in a resend's parameters).
    customer_id: str | None = None
    customer_email: str | None = field(default=None, metadata={"evidence": False})
    total_amount: int | None = None
    total_currency: str | None = None

    @property
    def confirmed(self) -> bool:
        return self.status in CONFIRMED_STATUSES


@dataclass(frozen=True, slots=True)
class ReservationRecord:
    reservation_id: str
    order_id: str
    status: str  # HELD, COMMITTED, RELEASED, EXPIRED
    created_at: datetime
    committed_at: datetime | None = None
    released_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class AuthorizationRecord:
    authorization_id: str
    order_id: str
    status: str  # AUTHORIZED, DECLINED, VOIDED, CAPTURED
    amount: int
    currency: str
    created_at: datetime
    captured_at: datetime | None = None
    voided_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ShipmentRecord:
    shipment_id: str
    order_id: str
    status: str
    warehouse_id: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class BackorderRecord:
    backorder_id: str
    order_id: str
    status: str  # OPEN, RELEASED, CANCELLED
    created_at: datetime


@dataclass(frozen=True, slots=True)
class NotificationRecord:
    notification_id: str
    order_id: str
    kind: str  # ORDER_CONFIRMED, SHIPMENT_CREATED, BACKORDER_DECLARED
    status: str  # SENT, FAILED
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ReturnRecord:
    """Returns' word on a return (ADR 0015); `created_at` is when it was requested."""

    return_id: str
    order_id: str
    status: str  # REQUESTED, RECEIVED, REFUNDED
    refund_amount: int
    currency: str
    lines: tuple[tuple[str, int], ...]  # (sku, units)
    created_at: datetime
    received_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class RefundRecord:
    refund_id: str
    order_id: str
    return_id: str
    amount: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class RestockRecord:
    return_id: str
    order_id: str
    created_at: datetime


class _Record(Protocol):
    @property
    def order_id(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...


R = TypeVar("R", bound=_Record)
ByOrder = Mapping[str, tuple[R, ...]]


def by_order(records: Iterable[R]) -> dict[str, tuple[R, ...]]:
    """Records grouped by order id, each group oldest first."""
    groups: defaultdict[str, list[R]] = defaultdict(list)
    for record in records:
        groups[record.order_id].append(record)
    return {
        order_id: tuple(sorted(group, key=lambda r: r.created_at))
        for order_id, group in groups.items()
    }


@dataclass(frozen=True)
class Snapshot:
    """Every source's rows for one run, keyed by order id."""

    orders: Mapping[str, OrderRecord] = field(default_factory=dict)
    reservations: ByOrder[ReservationRecord] = field(default_factory=dict)
    authorizations: ByOrder[AuthorizationRecord] = field(default_factory=dict)
    shipments: ByOrder[ShipmentRecord] = field(default_factory=dict)
    backorders: ByOrder[BackorderRecord] = field(default_factory=dict)
    notifications: ByOrder[NotificationRecord] = field(default_factory=dict)
    # Returns are judged on their own (an old order can be returned), keyed by return id.
    returns: Mapping[str, ReturnRecord] = field(default_factory=dict)
    refunds: Mapping[str, RefundRecord] = field(default_factory=dict)
    restocks: Mapping[str, RestockRecord] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        *,
        orders: Iterable[OrderRecord] = (),
        reservations: Iterable[ReservationRecord] = (),
        authorizations: Iterable[AuthorizationRecord] = (),
        shipments: Iterable[ShipmentRecord] = (),
        backorders: Iterable[BackorderRecord] = (),
        notifications: Iterable[NotificationRecord] = (),
        returns: Iterable[ReturnRecord] = (),
        refunds: Iterable[RefundRecord] = (),
        restocks: Iterable[RestockRecord] = (),
    ) -> Snapshot:
        return cls(
            orders={order.order_id: order for order in orders},
            reservations=by_order(reservations),
            authorizations=by_order(authorizations),
            shipments=by_order(shipments),
            backorders=by_order(backorders),
            notifications=by_order(notifications),
            returns={r.return_id: r for r in returns},
            refunds={r.return_id: r for r in refunds},
            restocks={r.return_id: r for r in restocks},
        )

    def about(self, order_id: str) -> Seen:
        return Seen(
            reservations=self.reservations.get(order_id, ()),
            authorizations=self.authorizations.get(order_id, ()),
            shipments=self.shipments.get(order_id, ()),
            backorders=self.backorders.get(order_id, ()),
            notifications=self.notifications.get(order_id, ()),
        )


@dataclass(frozen=True)
class Seen:
    """What the services other than checkout hold about one order, oldest first."""

    reservations: tuple[ReservationRecord, ...] = ()
    authorizations: tuple[AuthorizationRecord, ...] = ()
    shipments: tuple[ShipmentRecord, ...] = ()
    backorders: tuple[BackorderRecord, ...] = ()
    notifications: tuple[NotificationRecord, ...] = ()


def facts_of(record: object) -> dict[str, object]:
    """A record as evidence: its fields (but those marked `evidence: False`), times as
    ISO 8601 strings."""
    out: dict[str, object] = {}
    for f in fields(record):  # type: ignore[arg-type]
        if not f.metadata.get("evidence", True):
            continue
        value = getattr(record, f.name)
        out[f.name] = value.isoformat() if isinstance(value, datetime) else value
    return out


@dataclass(frozen=True)
class Reading:
    """What one read of every source returned: the snapshot and how much was read."""

    snapshot: Snapshot
    rows: Mapping[str, int]  # rows read, by source ("orders", "reservations", ...)
    pages: int

"""What happened to an order after checkout, as facts, and the statuses they imply.

    progress = Progress().record(Fact.SHIPPED, at).record(Fact.CAPTURED, at)
    statuses_of(progress, rejected=False)   # Statuses(status=COMPLETED, fulfillment=SHIPPED, ...)

Events arrive late, twice, or out of order across topics, so a status is never advanced
from the previous status: each fact is recorded once (the first time wins) and every
status is derived from the whole set. Captured before shipped, or shipped before captured,
end in the same place. Plain rules, standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime
from enum import StrEnum

from checkout.domain.orders import OrderStatus


class Fact(StrEnum):
    """Each value is also the name of the `<value>_at` column that records it."""

    BACKORDERED = "backordered"
    SHIPPED = "shipped"
    DISPATCHED = "dispatched"
    RESERVATION_COMMITTED = "reservation_committed"
    CAPTURED = "captured"
    CAPTURE_FAILED = "capture_failed"
    VOIDED = "voided"
    NOTIFIED = "notified"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Progress:
    """When each fact was first learned (None: not yet)."""

    backordered: datetime | None = None
    shipped: datetime | None = None
    dispatched: datetime | None = None
    reservation_committed: datetime | None = None
    captured: datetime | None = None
    capture_failed: datetime | None = None
    voided: datetime | None = None
    notified: datetime | None = None
    cancelled: datetime | None = None

    def record(self, fact: Fact, at: datetime) -> Progress:
        """The same progress with `fact` known since `at`; an already known fact keeps its time."""
        if getattr(self, fact.value) is not None:
            return self
        return replace(self, **{fact.value: at})

    def known(self, fact: Fact) -> bool:
        return getattr(self, fact.value) is not None

    def as_columns(self) -> dict[str, datetime | None]:
        return {f"{f.name}_at": getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class Statuses:
    status: OrderStatus
    fulfillment: str
    payment: str
    notification: str


def statuses_of(progress: Progress, *, rejected: bool) -> Statuses:
    """Every status the customer sees, from the facts alone."""
    return Statuses(
        status=_order_status(progress, rejected=rejected),
        fulfillment=_fulfillment_status(progress),
        payment=_payment_status(progress),
        notification="NOTIFIED" if progress.known(Fact.NOTIFIED) else "PENDING",
    )


def _order_status(progress: Progress, *, rejected: bool) -> OrderStatus:
    if rejected:
        return OrderStatus.REJECTED
    # A cancellation stays the customer's answer even if a shipment raced it: the facts
    # still show on the timeline and in the other statuses, and reconciliation owns the drift.
    if progress.known(Fact.CANCELLED):
        return OrderStatus.CANCELLED
    shipped = progress.known(Fact.SHIPPED)
    if shipped and progress.known(Fact.CAPTURED):
        return OrderStatus.COMPLETED
    if shipped:
        return OrderStatus.SHIPPED
    if progress.known(Fact.BACKORDERED):
        return OrderStatus.BACKORDERED
    return OrderStatus.CONFIRMED


def _fulfillment_status(progress: Progress) -> str:
    for fact in (Fact.DISPATCHED, Fact.SHIPPED, Fact.BACKORDERED):
        if progress.known(fact):
            return fact.value.upper()
    return "PENDING"


def _payment_status(progress: Progress) -> str:
    # A capture that failed and later succeeded is captured; a void ends an authorization.
    for fact in (Fact.CAPTURED, Fact.VOIDED, Fact.CAPTURE_FAILED):
        if progress.known(fact):
            return fact.value.upper()
    return "AUTHORIZED"


class OrderNotFound(Exception):
    def __init__(self, order_id: str) -> None:
        super().__init__(f"no order {order_id}")
        self.order_id = order_id


class UnknownOrder(OrderNotFound):
    """An event about an order this database does not hold (yet): transient, so retried.

    Checkout commits an order before its OrderConfirmed can leave the outbox, so this is a
    misrouted or premature event; the consumer retries it, then dead-letters it.
    """


class OrderNotCancellable(Exception):
    def __init__(self, order_id: str, status: OrderStatus) -> None:
        super().__init__(f"order {order_id} is {status.value} and can no longer be cancelled")
        self.order_id = order_id
        self.status = status


CANCELLABLE = frozenset((OrderStatus.CONFIRMED, OrderStatus.BACKORDERED))

# The orders whose OrderConfirmed went out (and did not end in a cancellation).
CONFIRMED = frozenset(
    (OrderStatus.CONFIRMED, OrderStatus.BACKORDERED, OrderStatus.SHIPPED, OrderStatus.COMPLETED)
)

# The downstream facts reconciliation may post (docs/reconciliation.md), read from their
# owners' sources of truth. Never cancellation, a commit or a failed capture.
CORRECTABLE = (
    Fact.BACKORDERED,
    Fact.SHIPPED,
    Fact.DISPATCHED,
    Fact.CAPTURED,
    Fact.VOIDED,
    Fact.NOTIFIED,
)


class OrderNotConfirmed(Exception):
    """The order never confirmed (REJECTED) or was cancelled: no OrderConfirmed to resend."""

    def __init__(self, order_id: str, status: OrderStatus) -> None:
        super().__init__(f"order {order_id} is {status.value}: it has no OrderConfirmed to resend")
        self.order_id = order_id
        self.status = status


class ConfirmedEventMissing(Exception):
    """A confirmed order whose OrderConfirmed is not in the outbox (it is written with the
    order, so someone removed the row): nothing to requeue, and a new event is not guessed."""

    def __init__(self, order_id: str) -> None:
        super().__init__(f"order {order_id} has no OrderConfirmed row in the outbox")
        self.order_id = order_id

"""The vocabulary of drift: what kind of mismatch, the evidence, and the repair to take.

    Finding(Kind.PAYMENT_NOT_CAPTURED, "ord_1", "shipped but not captured", evidence,
            Repair(Action.CAPTURE_PAYMENT, "ord_1"))

A finding with no repair is one the job must not act on (it cannot tell what is right);
it stays OPEN for a person. Standard library only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from reconciliation.domain.coordination import Deadlines, Step


class Kind(StrEnum):
    ORDER_CONFIRMED_EVENT_LOST = "order-confirmed-event-lost"
    ORPHAN_RESERVATION = "orphan-reservation"
    ORPHAN_AUTHORIZATION = "orphan-authorization"
    RESERVATION_NOT_COMMITTED = "reservation-not-committed"
    PAYMENT_NOT_CAPTURED = "payment-not-captured"
    NOTIFICATION_MISSING = "notification-missing"
    CONFIRMED_HOLD_ENDED = "confirmed-hold-ended"
    ORDER_STATUS_MISMATCH = "order-status-mismatch"
    RETURN_NOT_REFUNDED = "return-not-refunded"
    RETURN_NOT_RESTOCKED = "return-not-restocked"
    RETURN_REFUND_UNHEARD = "return-refund-unheard"
    # The sources contradict each other in a way no repair command resolves (for example
    # a shipment for a cancelled order): reported, never acted on.
    UNCLASSIFIED = "unclassified"


class Action(StrEnum):
    """The repair commands of docs/reconciliation.md, each idempotent on its owner."""

    REPUBLISH_ORDER_CONFIRMED = "republish-order-confirmed"  # checkout
    RELEASE_RESERVATION = "release-reservation"  # inventory
    VOID_AUTHORIZATION = "void-authorization"  # payment
    COMMIT_RESERVATION = "commit-reservation"  # inventory
    REHOLD_RESERVATION = "rehold-reservation"  # inventory
    CAPTURE_PAYMENT = "capture-payment"  # payment
    # communications, params {kind, recipient?: {customer_id, email}, total?: {amount, currency}}
    RESEND_NOTIFICATION = "resend-notification"
    POST_ORDER_FACTS = "post-order-facts"  # checkout, params {backordered, shipped, ...}
    # payment, params {return_id, amount}; an earlier refund is answered and announced again
    REFUND_RETURN = "refund-return"
    RESTOCK_RETURN = "restock-return"  # inventory, params {return_id, lines}


@dataclass(frozen=True)
class Repair:
    action: Action
    order_id: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    kind: Kind
    order_id: str
    detail: str  # one line for a person: what is wrong
    evidence: Mapping[str, object]  # the facts seen on each side, JSON-ready
    repair: Repair | None  # None: nothing safe to do automatically


@dataclass(frozen=True)
class Window:
    """Rows created in [since, until)."""

    since: datetime
    until: datetime

    def __contains__(self, moment: datetime) -> bool:
        return self.since <= moment < self.until


@dataclass(frozen=True)
class Policy:
    """How long each collaboration may take before its absence counts as drift.

    The step deadlines are the coordination state's own (`domain/coordination.py`).
    `orphan_grace` keeps a checkout still in flight (reserved and authorized, not yet
    confirmed) from being taken for an orphan; `status_settle` is how long checkout may
    take to reflect a downstream fact through its consumer.
    """

    deadlines: Deadlines
    orphan_grace: timedelta
    status_settle: timedelta
    # How long a received return may wait for its refund and its restock (RETURN_ORDER).
    return_settle: timedelta = timedelta(seconds=60)

    @property
    def allocation(self) -> timedelta:
        return self.deadlines[Step.ALLOCATION]

    @property
    def reservation_commit(self) -> timedelta:
        return self.deadlines[Step.RESERVATION_COMMIT]

    @property
    def payment_capture(self) -> timedelta:
        return self.deadlines[Step.PAYMENT_CAPTURE]

    @property
    def notification(self) -> timedelta:
        return self.deadlines[Step.CUSTOMER_NOTIFICATION]

"""An order's coordination state: which steps of completing it happened, and which are late.

Plain rules, standard library only. Events arrive late, twice, or out of order (five topics,
five partitions' worth of ordering), so applying a fact keeps the EARLIEST time seen for it
and the latest event time overall: min and max are idempotent and commutative, so any
arrival order of any multiset of events gives the same state.

The steps of COMPLETE_ORDER, each with a clock that starts at one fact:

    confirmed --allocation-----------> allocated | backordered
    allocated --reservation_commit---> reservation committed
    allocated --payment_capture------> payment captured
    confirmed --customer_notification> customer notified

A backordered order is waiting for stock, not late: its commit and capture clocks start
only once it is allocated. A cancelled order has no late steps.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any


class Fact(StrEnum):
    CONFIRMED = "confirmed"
    ALLOCATED = "allocated"
    BACKORDERED = "backordered"
    RESERVATION_COMMITTED = "reservation_committed"
    PAYMENT_CAPTURED = "payment_captured"
    CUSTOMER_NOTIFIED = "customer_notified"
    CANCELLED = "cancelled"


class Step(StrEnum):
    ALLOCATION = "allocation"
    RESERVATION_COMMIT = "reservation_commit"
    PAYMENT_CAPTURE = "payment_capture"
    CUSTOMER_NOTIFICATION = "customer_notification"


@dataclass(frozen=True)
class StepRule:
    step: Step
    starts_at: Fact
    done_by: tuple[Fact, ...]


COMPLETE_ORDER: tuple[StepRule, ...] = (
    StepRule(Step.ALLOCATION, Fact.CONFIRMED, (Fact.ALLOCATED, Fact.BACKORDERED)),
    StepRule(Step.RESERVATION_COMMIT, Fact.ALLOCATED, (Fact.RESERVATION_COMMITTED,)),
    StepRule(Step.PAYMENT_CAPTURE, Fact.ALLOCATED, (Fact.PAYMENT_CAPTURED,)),
    StepRule(Step.CUSTOMER_NOTIFICATION, Fact.CONFIRMED, (Fact.CUSTOMER_NOTIFIED,)),
)

Deadlines = Mapping[Step, timedelta]


@dataclass(frozen=True)
class OrderCoordination:
    order_id: str
    confirmed_at: datetime | None = None
    allocated_at: datetime | None = None
    backordered_at: datetime | None = None
    reservation_committed_at: datetime | None = None
    payment_captured_at: datetime | None = None
    customer_notified_at: datetime | None = None
    cancelled_at: datetime | None = None
    last_event_at: datetime | None = None

    def at(self, fact: Fact) -> datetime | None:
        value: datetime | None = getattr(self, f"{fact.value}_at")
        return value


def apply(state: OrderCoordination, fact: Fact, occurred_at: datetime) -> OrderCoordination:
    """The state once `fact` is known to have happened at `occurred_at`."""
    seen = state.at(fact)
    last = state.last_event_at
    changes: dict[str, Any] = {
        f"{fact.value}_at": occurred_at if seen is None else min(seen, occurred_at),
        "last_event_at": occurred_at if last is None else max(last, occurred_at),
    }
    return replace(state, **changes)


class StepStatus(StrEnum):
    DONE = "DONE"
    NOT_STARTED = "NOT_STARTED"  # the fact that starts its clock has not happened (yet)
    PENDING = "PENDING"
    LATE = "LATE"


@dataclass(frozen=True)
class StepProgress:
    step: Step
    status: StepStatus
    started_at: datetime | None = None
    due_at: datetime | None = None
    done_at: datetime | None = None

    def late_by(self, now: datetime) -> timedelta | None:
        if self.status is not StepStatus.LATE or self.due_at is None:
            return None
        return now - self.due_at


@dataclass(frozen=True)
class LateStep:
    step: Step
    due_at: datetime
    late_by: timedelta


def progress(state: OrderCoordination, now: datetime, deadlines: Deadlines) -> list[StepProgress]:
    """Where each step of COMPLETE_ORDER stands at `now`."""
    return [_progress(rule, state, now, deadlines[rule.step]) for rule in COMPLETE_ORDER]


def _progress(
    rule: StepRule, state: OrderCoordination, now: datetime, deadline: timedelta
) -> StepProgress:
    started = state.at(rule.starts_at)
    done = [at for at in map(state.at, rule.done_by) if at is not None]
    due = None if started is None else started + deadline
    if done:
        return StepProgress(rule.step, StepStatus.DONE, started, due, min(done))
    if started is None or due is None:
        return StepProgress(rule.step, StepStatus.NOT_STARTED)
    # A cancelled order owes no further steps; it is never late.
    late = now > due and state.cancelled_at is None
    return StepProgress(rule.step, StepStatus.LATE if late else StepStatus.PENDING, started, due)


def stuck_steps(state: OrderCoordination, now: datetime, deadlines: Deadlines) -> list[LateStep]:
    """The steps past their deadline at `now`, with how late each is (most overdue first)."""
    late = [
        LateStep(p.step, p.due_at, now - p.due_at)
        for p in progress(state, now, deadlines)
        if p.status is StepStatus.LATE and p.due_at is not None
    ]
    return sorted(late, key=lambda step: step.late_by, reverse=True)


def is_complete(state: OrderCoordination) -> bool:
    """Every step done (a backorder answers allocation, but commit and capture still wait)."""
    return all(any(state.at(f) is not None for f in rule.done_by) for rule in COMPLETE_ORDER)


def order_status(state: OrderCoordination, steps: list[StepProgress]) -> str:
    """COMPLETE | CANCELLED | STUCK (a step is late) | IN_PROGRESS, given `progress(state)`."""
    if state.cancelled_at is not None:
        return "CANCELLED"
    if is_complete(state):
        return "COMPLETE"
    if any(step.status is StepStatus.LATE for step in steps):
        return "STUCK"
    return "IN_PROGRESS"

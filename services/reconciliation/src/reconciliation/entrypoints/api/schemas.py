"""Reconciliation's HTTP response models (they belong to this service alone)."""

from datetime import datetime, timedelta

from pydantic import BaseModel

from reconciliation.domain.coordination import (
    Deadlines,
    LateStep,
    OrderCoordination,
    StepStatus,
    is_complete,
    progress,
)


class StepOut(BaseModel):
    step: str
    status: str
    started_at: datetime | None
    due_at: datetime | None
    done_at: datetime | None
    late_by_seconds: float | None


class CoordinationOut(BaseModel):
    order_id: str
    status: str  # COMPLETE | CANCELLED | STUCK | IN_PROGRESS
    confirmed_at: datetime | None
    allocated_at: datetime | None
    backordered_at: datetime | None
    reservation_committed_at: datetime | None
    payment_captured_at: datetime | None
    customer_notified_at: datetime | None
    cancelled_at: datetime | None
    last_event_at: datetime | None
    steps: list[StepOut]

    @classmethod
    def of(cls, state: OrderCoordination, now: datetime, deadlines: Deadlines) -> "CoordinationOut":
        steps = progress(state, now, deadlines)
        if state.cancelled_at is not None:
            status = "CANCELLED"
        elif is_complete(state):
            status = "COMPLETE"
        elif any(step.status is StepStatus.LATE for step in steps):
            status = "STUCK"
        else:
            status = "IN_PROGRESS"
        return cls(
            order_id=state.order_id,
            status=status,
            confirmed_at=state.confirmed_at,
            allocated_at=state.allocated_at,
            backordered_at=state.backordered_at,
            reservation_committed_at=state.reservation_committed_at,
            payment_captured_at=state.payment_captured_at,
            customer_notified_at=state.customer_notified_at,
            cancelled_at=state.cancelled_at,
            last_event_at=state.last_event_at,
            steps=[
                StepOut(
                    step=step.step.value,
                    status=step.status.value,
                    started_at=step.started_at,
                    due_at=step.due_at,
                    done_at=step.done_at,
                    late_by_seconds=_seconds(step.late_by(now)),
                )
                for step in steps
            ],
        )


class LateStepOut(BaseModel):
    step: str
    due_at: datetime
    late_by_seconds: float

    @classmethod
    def of(cls, late: LateStep) -> "LateStepOut":
        return cls(
            step=late.step.value, due_at=late.due_at, late_by_seconds=late.late_by.total_seconds()
        )


class StuckOrderOut(BaseModel):
    order_id: str
    confirmed_at: datetime | None
    last_event_at: datetime | None
    late_steps: list[LateStepOut]


class StuckList(BaseModel):
    as_of: datetime
    orders: list[StuckOrderOut]


def _seconds(delta: timedelta | None) -> float | None:
    return None if delta is None else delta.total_seconds()

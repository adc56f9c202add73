"""Reconciliation's HTTP request and response models (they belong to this service alone).

Request bodies end in `Body`, responses in `View`; the use cases never see either. The run
views are `entrypoints/report.py`'s, shared with the CLI's `--json`.
"""

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from reconciliation.application.coordination import OrderProgress, StuckOrders
from reconciliation.domain.coordination import LateStep


class RunBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # ISO 8601 with an offset, or a span back from now: "90s", "15m", "24h", "7d".
    since: str = Field(min_length=1, max_length=64)
    until: str | None = Field(default=None, min_length=1, max_length=64)
    dry_run: bool = False


class StepView(BaseModel):
    step: str
    status: str
    started_at: datetime | None
    due_at: datetime | None
    done_at: datetime | None
    late_by_seconds: float | None


class CoordinationView(BaseModel):
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
    steps: list[StepView]

    @classmethod
    def of(cls, found: OrderProgress) -> "CoordinationView":
        state = found.state
        return cls(
            order_id=state.order_id,
            status=found.status,
            confirmed_at=state.confirmed_at,
            allocated_at=state.allocated_at,
            backordered_at=state.backordered_at,
            reservation_committed_at=state.reservation_committed_at,
            payment_captured_at=state.payment_captured_at,
            customer_notified_at=state.customer_notified_at,
            cancelled_at=state.cancelled_at,
            last_event_at=state.last_event_at,
            steps=[
                StepView(
                    step=step.step.value,
                    status=step.status.value,
                    started_at=step.started_at,
                    due_at=step.due_at,
                    done_at=step.done_at,
                    late_by_seconds=_seconds(step.late_by(found.as_of)),
                )
                for step in found.steps
            ],
        )


class LateStepView(BaseModel):
    step: str
    due_at: datetime
    late_by_seconds: float

    @classmethod
    def of(cls, late: LateStep) -> "LateStepView":
        return cls(
            step=late.step.value, due_at=late.due_at, late_by_seconds=late.late_by.total_seconds()
        )


class StuckOrderView(BaseModel):
    order_id: str
    confirmed_at: datetime | None
    last_event_at: datetime | None
    late_steps: list[LateStepView]


class StuckListView(BaseModel):
    as_of: datetime
    orders: list[StuckOrderView]

    @classmethod
    def of(cls, stuck: StuckOrders) -> "StuckListView":
        return cls(
            as_of=stuck.as_of,
            orders=[
                StuckOrderView(
                    order_id=order.state.order_id,
                    confirmed_at=order.state.confirmed_at,
                    last_event_at=order.state.last_event_at,
                    late_steps=[LateStepView.of(late) for late in order.late],
                )
                for order in stuck.orders
            ],
        )


def _seconds(delta: timedelta | None) -> float | None:
    return None if delta is None else delta.total_seconds()

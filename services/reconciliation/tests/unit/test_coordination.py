from datetime import UTC, datetime, timedelta
from itertools import permutations

from reconciliation.domain.coordination import (
    Fact,
    OrderCoordination,
    Step,
    StepStatus,
    apply,
    is_complete,
    progress,
    stuck_steps,
)

T0 = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
DEADLINES = {
    Step.ALLOCATION: timedelta(seconds=60),
    Step.RESERVATION_COMMIT: timedelta(seconds=120),
    Step.PAYMENT_CAPTURE: timedelta(seconds=120),
    Step.CUSTOMER_NOTIFICATION: timedelta(seconds=60),
}


def seconds(n: float) -> datetime:
    return T0 + timedelta(seconds=n)


def state_of(*facts: tuple[Fact, float]) -> OrderCoordination:
    state = OrderCoordination("ord_1")
    for fact, at in facts:
        state = apply(state, fact, seconds(at))
    return state


def late(state: OrderCoordination, now: float) -> dict[Step, float]:
    return {s.step: s.late_by.total_seconds() for s in stuck_steps(state, seconds(now), DEADLINES)}


def test_a_just_confirmed_order_has_no_late_step() -> None:
    assert late(state_of((Fact.CONFIRMED, 0)), now=30) == {}


def test_allocation_and_notification_are_late_once_their_deadline_passes() -> None:
    state = state_of((Fact.CONFIRMED, 0))
    assert late(state, now=75) == {Step.ALLOCATION: 15.0, Step.CUSTOMER_NOTIFICATION: 15.0}


def test_commit_and_capture_are_timed_from_allocation_not_confirmation() -> None:
    state = state_of((Fact.CONFIRMED, 0), (Fact.ALLOCATED, 50), (Fact.CUSTOMER_NOTIFIED, 5))
    assert late(state, now=160) == {}
    assert late(state, now=200) == {Step.RESERVATION_COMMIT: 30.0, Step.PAYMENT_CAPTURE: 30.0}


def test_a_backordered_order_waits_for_stock_without_being_late() -> None:
    state = state_of((Fact.CONFIRMED, 0), (Fact.BACKORDERED, 10), (Fact.CUSTOMER_NOTIFIED, 5))
    assert late(state, now=10_000) == {}
    statuses = {p.step: p.status for p in progress(state, seconds(10_000), DEADLINES)}
    assert statuses[Step.ALLOCATION] is StepStatus.DONE
    assert statuses[Step.RESERVATION_COMMIT] is StepStatus.NOT_STARTED
    assert not is_complete(state)


def test_a_cancelled_order_is_never_late() -> None:
    state = state_of((Fact.CONFIRMED, 0), (Fact.CANCELLED, 5))
    assert late(state, now=10_000) == {}


def test_the_most_overdue_step_comes_first() -> None:
    state = state_of((Fact.CONFIRMED, 0), (Fact.ALLOCATED, 10), (Fact.PAYMENT_CAPTURED, 20))
    steps = stuck_steps(state, seconds(500), DEADLINES)
    assert [s.step for s in steps] == [
        Step.CUSTOMER_NOTIFICATION,  # due at 60
        Step.RESERVATION_COMMIT,  # due at 130
    ]
    assert steps[0].due_at == seconds(60)


def test_an_order_with_every_step_done_is_complete_and_never_late() -> None:
    state = state_of(
        (Fact.CONFIRMED, 0),
        (Fact.BACKORDERED, 10),
        (Fact.ALLOCATED, 900),
        (Fact.RESERVATION_COMMITTED, 905),
        (Fact.PAYMENT_CAPTURED, 906),
        (Fact.CUSTOMER_NOTIFIED, 3),
    )
    assert is_complete(state)
    assert late(state, now=100_000) == {}


def test_an_order_seen_only_through_later_events_is_not_timed_on_what_is_missing() -> None:
    state = state_of((Fact.ALLOCATED, 0))
    assert late(state, now=100) == {}
    assert set(late(state, now=1_000)) == {Step.RESERVATION_COMMIT, Step.PAYMENT_CAPTURE}


def test_a_duplicate_event_changes_nothing() -> None:
    once = state_of((Fact.CONFIRMED, 0), (Fact.ALLOCATED, 30))
    assert apply(once, Fact.ALLOCATED, seconds(30)) == once


def test_any_arrival_order_of_late_duplicate_and_early_events_gives_one_state() -> None:
    events = [
        (Fact.CONFIRMED, 0),
        (Fact.ALLOCATED, 30),
        (Fact.ALLOCATED, 45),  # a redelivery stamped later: the first time stands
        (Fact.RESERVATION_COMMITTED, 40),
        (Fact.CUSTOMER_NOTIFIED, 20),
        (Fact.PAYMENT_CAPTURED, 41),
    ]
    states = {state_of(*arrival) for arrival in permutations(events)}
    assert len(states) == 1
    [state] = states
    assert state.allocated_at == seconds(30)
    assert state.last_event_at == seconds(45)

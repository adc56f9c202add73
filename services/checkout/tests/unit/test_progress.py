"""Statuses derive from the facts alone, whatever order the facts arrived in."""

from datetime import UTC, datetime, timedelta
from itertools import permutations

import pytest
from checkout.domain.orders import OrderStatus
from checkout.domain.progress import Fact, Progress, statuses_of

T0 = datetime(2025, 1, 1, tzinfo=UTC)


def progress_of(*facts: Fact) -> Progress:
    progress = Progress()
    for n, fact in enumerate(facts):
        progress = progress.record(fact, T0 + timedelta(seconds=n))
    return progress


@pytest.mark.parametrize(
    "facts",
    list(permutations([Fact.BACKORDERED, Fact.SHIPPED, Fact.CAPTURED, Fact.NOTIFIED])),
)
def test_backorder_shipment_capture_and_notification_complete_the_order_in_any_order(
    facts: tuple[Fact, ...],
) -> None:
    statuses = statuses_of(progress_of(*facts), rejected=False)
    assert statuses.status is OrderStatus.COMPLETED
    assert (statuses.fulfillment, statuses.payment, statuses.notification) == (
        "SHIPPED",
        "CAPTURED",
        "NOTIFIED",
    )


@pytest.mark.parametrize(
    ("facts", "status", "fulfillment", "payment"),
    [
        ((), OrderStatus.CONFIRMED, "PENDING", "AUTHORIZED"),
        ((Fact.BACKORDERED,), OrderStatus.BACKORDERED, "BACKORDERED", "AUTHORIZED"),
        ((Fact.SHIPPED,), OrderStatus.SHIPPED, "SHIPPED", "AUTHORIZED"),
        ((Fact.CAPTURED,), OrderStatus.CONFIRMED, "PENDING", "CAPTURED"),
        ((Fact.SHIPPED, Fact.DISPATCHED), OrderStatus.SHIPPED, "DISPATCHED", "AUTHORIZED"),
        ((Fact.SHIPPED, Fact.CAPTURE_FAILED), OrderStatus.SHIPPED, "SHIPPED", "CAPTURE_FAILED"),
        ((Fact.CAPTURE_FAILED, Fact.CAPTURED), OrderStatus.CONFIRMED, "PENDING", "CAPTURED"),
        ((Fact.CANCELLED, Fact.VOIDED), OrderStatus.CANCELLED, "PENDING", "VOIDED"),
        (
            (Fact.CANCELLED, Fact.SHIPPED, Fact.CAPTURED),
            OrderStatus.CANCELLED,
            "SHIPPED",
            "CAPTURED",
        ),
    ],
)
def test_each_set_of_facts_has_one_set_of_statuses(
    facts: tuple[Fact, ...], status: OrderStatus, fulfillment: str, payment: str
) -> None:
    statuses = statuses_of(progress_of(*facts), rejected=False)
    assert (statuses.status, statuses.fulfillment, statuses.payment) == (
        status,
        fulfillment,
        payment,
    )


def test_a_fact_learned_twice_keeps_the_time_it_was_first_learned() -> None:
    once = Progress().record(Fact.SHIPPED, T0)
    assert once.record(Fact.SHIPPED, T0 + timedelta(hours=1)).shipped == T0


def test_a_rejected_order_stays_rejected() -> None:
    assert statuses_of(progress_of(Fact.SHIPPED), rejected=True).status is OrderStatus.REJECTED

"""The drift rules of orphan-reservation and orphan-authorization: holds and authorizations
no order stands behind."""

from reconciliation.domain.findings import Action, Kind, Repair, Window

from .world import (
    NOW,
    POLICY,
    abandoned_checkout,
    ago,
    backordered,
)

# -- orphans ----------------------------------------------------------------------------


def test_a_hold_and_authorization_with_no_order_past_the_grace_period_are_orphans() -> None:
    findings = abandoned_checkout(600).drift()
    assert [(f.kind, f.repair) for f in findings] == [
        (Kind.ORPHAN_AUTHORIZATION, Repair(Action.VOID_AUTHORIZATION, "ord_x")),
        (Kind.ORPHAN_RESERVATION, Repair(Action.RELEASE_RESERVATION, "ord_x")),
    ]
    assert findings[1].evidence["checkout"] is None
    assert "no order at checkout" in findings[1].detail


def test_a_checkout_in_flight_inside_the_grace_period_is_no_orphan() -> None:
    assert abandoned_checkout(POLICY.orphan_grace.total_seconds() - 1).drift() == []


def test_the_grace_period_ends_at_its_exact_moment() -> None:
    assert len(abandoned_checkout(POLICY.orphan_grace.total_seconds()).drift()) == 2


def test_a_rejected_checkout_whose_authorization_was_not_voided_leaves_an_orphan() -> None:
    world = abandoned_checkout(600, status="REJECTED", fulfillment="PENDING", payment="AUTHORIZED")
    world.update("reservations", "ord_x", status="RELEASED")
    [finding] = world.drift()
    assert finding.kind is Kind.ORPHAN_AUTHORIZATION
    assert "the order REJECTED at checkout" in finding.detail


def test_a_cancelled_orders_released_hold_and_voided_authorization_are_not_drift() -> None:
    world = abandoned_checkout(600, status="CANCELLED", fulfillment="PENDING", payment="VOIDED")
    world.update("reservations", "ord_x", status="RELEASED")
    world.update("authorizations", "ord_x", status="VOIDED")
    assert world.drift() == []


def test_a_cancelled_order_whose_hold_is_still_held_is_an_orphan_reservation() -> None:
    world = abandoned_checkout(600, status="CANCELLED", fulfillment="PENDING", payment="VOIDED")
    world.update("authorizations", "ord_x", status="VOIDED")
    assert world.kinds() == [("orphan-reservation", "ord_x")]


def test_holds_of_a_confirmed_order_are_never_orphans() -> None:
    assert backordered(at=ago(10_000)).drift() == []


def test_holds_created_before_the_window_are_not_judged() -> None:
    window = Window(ago(500), NOW)
    assert abandoned_checkout(600).drift(window=window) == []

"""The drift rules as a whole: the kinds, no drift where the services agree, unclassified
findings, the window and the report. Each kind has its own module (test_drift_<kind>.py)."""

from datetime import timedelta

import pytest
from reconciliation.domain.findings import Kind, Window

from .world import (
    NOW,
    POLICY,
    WINDOW,
    World,
    abandoned_checkout,
    ago,
    backordered,
    completed,
    in_flight_confirmation,
    shipment,
    shipped,
    with_order,
    with_row,
)


def test_the_kinds_are_the_documented_slugs() -> None:
    assert {k.value for k in Kind} == {
        "order-confirmed-event-lost",
        "orphan-reservation",
        "orphan-authorization",
        "reservation-not-committed",
        "payment-not-captured",
        "notification-missing",
        "confirmed-hold-ended",
        "order-status-mismatch",
        "return-not-refunded",
        "return-not-restocked",
        "return-refund-unheard",
        "unclassified",
    }


def test_an_order_every_service_agrees_on_is_no_drift() -> None:
    assert completed().drift() == []


def test_a_backordered_order_without_a_shipment_is_waiting_not_drifting() -> None:
    assert backordered().drift() == []


def test_an_empty_world_is_no_drift() -> None:
    assert World().drift() == []


# -- unclassified -----------------------------------------------------------------------


def test_a_shipment_for_a_cancelled_order_is_reported_and_nothing_is_released_or_voided() -> None:
    world = completed()
    world.update_order("ord_1", status="CANCELLED", fulfillment_status="SHIPPED")
    world.update("reservations", "ord_1", status="HELD")
    world.update("authorizations", "ord_1", status="AUTHORIZED", captured_at=None)
    [finding] = world.drift()
    assert finding.kind is Kind.UNCLASSIFIED
    assert finding.repair is None
    assert "CANCELLED" in finding.detail


def test_a_shipment_for_an_order_checkout_never_stored_is_reported_once() -> None:
    world = abandoned_checkout(600)
    world.shipments = [shipment("ord_x", at=ago(500))]
    assert world.kinds() == [("unclassified", "ord_x")]


# -- the window and the report ----------------------------------------------------------


def test_orders_created_outside_the_window_are_not_judged() -> None:
    world = in_flight_confirmation(at_seconds_ago=3600)
    assert world.drift(window=Window(ago(600), NOW)) == []
    assert world.drift(window=Window(ago(3600), NOW)) != []  # since is inclusive
    assert world.drift(window=Window(ago(7200), ago(3600))) == []  # until is not
    assert world.drift(window=Window(ago(7200), ago(3600) + timedelta(microseconds=1))) != []


def test_findings_come_ordered_by_order_then_kind() -> None:
    world = in_flight_confirmation(at_seconds_ago=90)
    late = completed("ord_0")
    late.update("reservations", "ord_0", status="HELD")
    late.update("authorizations", "ord_0", status="AUTHORIZED", captured_at=None)
    late.update_order("ord_0", status="SHIPPED", payment_status="AUTHORIZED")
    for rows in ("orders", "reservations", "authorizations", "shipments", "notifications"):
        getattr(world, rows).extend(getattr(late, rows))
    assert world.kinds() == [
        ("payment-not-captured", "ord_0"),
        ("reservation-not-committed", "ord_0"),
        ("order-confirmed-event-lost", "ord_1"),
    ]


# The return kinds have their own small world: test_drift_returns.py.
@pytest.mark.parametrize("kind", [k for k in Kind if not k.value.startswith("return-")])
def test_every_finding_carries_evidence_and_a_detail(kind: Kind) -> None:
    worlds = {
        Kind.ORDER_CONFIRMED_EVENT_LOST: in_flight_confirmation(90),
        Kind.ORPHAN_RESERVATION: abandoned_checkout(600),
        Kind.ORPHAN_AUTHORIZATION: abandoned_checkout(600),
        Kind.RESERVATION_NOT_COMMITTED: with_row(shipped(200), "reservations", status="HELD"),
        Kind.PAYMENT_NOT_CAPTURED: with_row(shipped(200), "authorizations", status="VOIDED"),
        Kind.NOTIFICATION_MISSING: with_row(completed(), "notifications", status="FAILED"),
        Kind.CONFIRMED_HOLD_ENDED: with_row(backordered(), "reservations", status="EXPIRED"),
        Kind.ORDER_STATUS_MISMATCH: with_order(completed(), status="SHIPPED"),
        Kind.UNCLASSIFIED: with_order(completed(), status="REJECTED"),
    }
    found = [f for f in worlds[kind].drift() if f.kind is kind]
    assert found
    assert all(f.evidence and f.detail for f in found)


def test_the_default_window_and_policy_are_what_the_tests_assume() -> None:
    assert WINDOW.until == NOW
    assert POLICY.allocation == timedelta(seconds=60)

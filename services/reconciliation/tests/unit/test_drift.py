"""The drift rules, one kind at a time: what is drift, what is not, and the repair."""

from datetime import timedelta

import pytest
from reconciliation.domain.findings import Action, Kind, Repair, Window

from .world import (
    NOW,
    POLICY,
    WINDOW,
    World,
    ago,
    authorization,
    backorder,
    backordered,
    completed,
    notification,
    order,
    reservation,
    shipment,
)


def test_the_kinds_are_the_documented_slugs() -> None:
    assert {k.value for k in Kind} == {
        "order-confirmed-event-lost",
        "orphan-reservation",
        "orphan-authorization",
        "reservation-not-committed",
        "payment-not-captured",
        "notification-missing",
        "order-status-mismatch",
        "unclassified",
    }


def test_an_order_every_service_agrees_on_is_no_drift() -> None:
    assert completed().drift() == []


def test_a_backordered_order_without_a_shipment_is_waiting_not_drifting() -> None:
    assert backordered().drift() == []


def test_an_empty_world_is_no_drift() -> None:
    assert World().drift() == []


# -- order-confirmed-event-lost ---------------------------------------------------------


def in_flight_confirmation(at_seconds_ago: float) -> World:
    """Checkout confirmed; nothing downstream has heard of it."""
    return World(
        orders=[
            order(
                status="CONFIRMED",
                fulfillment="PENDING",
                payment="AUTHORIZED",
                notification="PENDING",
                at=ago(at_seconds_ago),
            )
        ],
        reservations=[reservation(status="HELD", at=ago(at_seconds_ago + 1))],
        authorizations=[authorization(status="AUTHORIZED", at=ago(at_seconds_ago + 1))],
    )


def test_a_confirmed_order_with_no_shipment_or_backorder_past_its_deadline_lost_its_event() -> None:
    [finding] = in_flight_confirmation(at_seconds_ago=90).drift()
    assert finding.kind is Kind.ORDER_CONFIRMED_EVENT_LOST
    assert finding.repair == Repair(Action.REPUBLISH_ORDER_CONFIRMED, "ord_1")
    assert finding.evidence["due_at"] == ago(30).isoformat()
    assert finding.evidence["fulfillment"] == {"shipments": [], "backorders": []}
    checkout = finding.evidence["checkout"]
    assert isinstance(checkout, dict)
    assert checkout["status"] == "CONFIRMED"
    assert "30s after the allocation deadline" in finding.detail


def test_a_confirmed_order_inside_its_allocation_deadline_is_in_flight() -> None:
    assert in_flight_confirmation(at_seconds_ago=59).drift() == []


def test_the_allocation_deadline_is_inclusive_at_its_exact_moment() -> None:
    assert [f.kind for f in in_flight_confirmation(at_seconds_ago=60).drift()] == [
        Kind.ORDER_CONFIRMED_EVENT_LOST
    ]


def test_a_lost_event_does_not_also_make_holds_orphans_or_notifications_missing() -> None:
    # Long past every deadline and the grace period: still one finding, one repair.
    assert in_flight_confirmation(at_seconds_ago=3600).kinds() == [
        ("order-confirmed-event-lost", "ord_1")
    ]


# -- orphans ----------------------------------------------------------------------------


def abandoned_checkout(seconds_ago: float, **order_fields: object) -> World:
    """Checkout reserved and authorized, then never confirmed."""
    world = World(
        reservations=[reservation("ord_x", "HELD", ago(seconds_ago))],
        authorizations=[authorization("ord_x", "AUTHORIZED", ago(seconds_ago))],
    )
    if order_fields:
        world.orders = [order("ord_x", at=ago(seconds_ago - 1), **order_fields)]  # type: ignore[arg-type]
    return world


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


# -- shipped but not settled ------------------------------------------------------------


def shipped(seconds_ago: float) -> World:
    world = completed()
    world.remove("shipments", "ord_1")
    world.shipments = [shipment(at=ago(seconds_ago))]
    return world


def test_a_shipped_order_whose_reservation_is_not_committed_past_the_deadline_is_committed() -> (
    None
):
    world = shipped(seconds_ago=200)
    world.update("reservations", "ord_1", status="HELD")
    [finding] = world.drift()
    assert finding.kind is Kind.RESERVATION_NOT_COMMITTED
    assert finding.repair == Repair(Action.COMMIT_RESERVATION, "ord_1")
    inventory = finding.evidence["inventory"]
    assert isinstance(inventory, dict)
    assert [r["status"] for r in inventory["reservations"]] == ["HELD"]
    assert finding.evidence["due_at"] == ago(80).isoformat()


def test_an_uncommitted_reservation_inside_the_commit_deadline_is_not_drift() -> None:
    world = shipped(seconds_ago=119)
    world.update("reservations", "ord_1", status="HELD")
    assert world.drift() == []


def test_a_shipped_order_whose_payment_is_not_captured_past_the_deadline_is_captured() -> None:
    world = shipped(seconds_ago=200)
    world.update("authorizations", "ord_1", status="AUTHORIZED", captured_at=None)
    world.update_order("ord_1", status="SHIPPED", payment_status="AUTHORIZED")
    [finding] = world.drift()
    assert finding.kind is Kind.PAYMENT_NOT_CAPTURED
    assert finding.repair == Repair(Action.CAPTURE_PAYMENT, "ord_1")


def test_a_capture_that_failed_at_payment_is_still_a_capture_to_repair() -> None:
    world = shipped(seconds_ago=200)
    world.update("authorizations", "ord_1", status="AUTHORIZED", captured_at=None)
    world.update_order("ord_1", status="SHIPPED", payment_status="CAPTURE_FAILED")
    assert world.kinds() == [("payment-not-captured", "ord_1")]


def test_a_shipped_order_with_no_reservation_at_all_is_unclassified_not_committed() -> None:
    world = shipped(seconds_ago=200)
    world.reservations.clear()
    [finding] = world.drift()
    assert finding.kind is Kind.UNCLASSIFIED
    assert finding.repair is None


# -- notification-missing ---------------------------------------------------------------


CHECKOUTS_CUSTOMER = {
    "recipient": {"customer_id": "cus_1", "email": "ada@example.com"},
    "total": {"amount": 2856, "currency": "EUR"},
}


def test_a_shipment_with_no_notification_past_its_deadline_is_resent_with_its_kind() -> None:
    world = completed()
    world.remove("notifications", "ord_1", kind="SHIPMENT_CREATED")
    [finding] = world.drift()
    assert finding.kind is Kind.NOTIFICATION_MISSING
    # With checkout's recipient and total: communications may never have seen the order.
    assert finding.repair == Repair(
        Action.RESEND_NOTIFICATION, "ord_1", {"kind": "SHIPMENT_CREATED", **CHECKOUTS_CUSTOMER}
    )
    assert finding.evidence["notification_kind"] == "SHIPMENT_CREATED"


def test_a_resend_carries_only_what_checkout_said_of_the_customer_and_the_total() -> None:
    world = completed()
    world.remove("notifications", "ord_1", kind="SHIPMENT_CREATED")
    world.update_order("ord_1", customer_email=None, total_currency=None)
    [finding] = world.drift()
    assert finding.repair == Repair(
        Action.RESEND_NOTIFICATION, "ord_1", {"kind": "SHIPMENT_CREATED"}
    )


def test_the_customers_address_is_never_evidence() -> None:
    world = completed()
    world.update_order("ord_1", status="CONFIRMED", fulfillment_status="PENDING")
    world.shipments.clear()
    [lost] = [f for f in world.drift() if f.kind is Kind.ORDER_CONFIRMED_EVENT_LOST]
    checkout = lost.evidence["checkout"]
    assert isinstance(checkout, dict)
    assert "customer_email" not in checkout
    assert (checkout["customer_id"], checkout["total_amount"]) == ("cus_1", 2856)


def test_a_notification_that_failed_to_send_counts_as_missing() -> None:
    world = completed()
    world.update("notifications", "ord_1", status="FAILED")
    repairs = [f.repair.params["kind"] for f in world.drift() if f.repair is not None]
    assert repairs == ["ORDER_CONFIRMED", "SHIPMENT_CREATED"]


def test_a_backorder_with_no_notification_past_its_deadline_is_resent() -> None:
    world = backordered()
    world.remove("notifications", "ord_1", kind="BACKORDER_DECLARED")
    [finding] = world.drift()
    assert finding.repair == Repair(
        Action.RESEND_NOTIFICATION, "ord_1", {"kind": "BACKORDER_DECLARED", **CHECKOUTS_CUSTOMER}
    )


def test_a_notification_is_not_missing_before_its_deadline() -> None:
    world = shipped(seconds_ago=30)
    world.remove("notifications", "ord_1", kind="SHIPMENT_CREATED")
    assert world.drift() == []


# -- order-status-mismatch --------------------------------------------------------------


def test_checkout_behind_a_settled_shipment_gets_the_facts_posted() -> None:
    world = completed()
    world.update_order("ord_1", status="CONFIRMED", fulfillment_status="PENDING")
    [finding] = world.drift()
    assert finding.kind is Kind.ORDER_STATUS_MISMATCH
    assert finding.repair == Repair(
        Action.POST_ORDER_FACTS,
        "ord_1",
        {
            "backordered": False,
            "shipped": True,
            "dispatched": False,
            "captured": True,
            "voided": False,
            "notified": True,
        },
    )
    assert finding.evidence["behind"] == ["shipped"]
    assert finding.evidence["expected_status"] == "COMPLETED"


def test_a_fact_younger_than_the_settle_time_is_not_yet_a_mismatch() -> None:
    world = completed()
    world.update_order("ord_1", payment_status="AUTHORIZED", status="SHIPPED")
    world.update("authorizations", "ord_1", captured_at=ago(59))
    assert world.drift() == []
    world.update("authorizations", "ord_1", captured_at=ago(61))
    assert world.kinds() == [("order-status-mismatch", "ord_1")]


def test_a_status_that_lags_its_own_sub_statuses_is_a_mismatch() -> None:
    world = completed()
    world.update_order("ord_1", status="SHIPPED")  # shipped and captured: COMPLETED
    [finding] = world.drift()
    assert finding.kind is Kind.ORDER_STATUS_MISMATCH
    assert finding.evidence["behind"] == []
    assert "status COMPLETED" in finding.detail


def test_a_dispatch_checkout_has_not_learned_is_a_mismatch() -> None:
    world = completed()
    world.update("shipments", "ord_1", status="DISPATCHED")
    [finding] = world.drift()
    assert finding.evidence["behind"] == ["dispatched"]
    assert finding.repair is not None
    assert finding.repair.params["dispatched"] is True


def test_facts_a_later_fact_hides_are_not_a_mismatch() -> None:
    world = completed()
    world.backorders = [backorder(at=ago(3595), status="RELEASED")]
    world.notifications.append(notification(kind="BACKORDER_DECLARED", at=ago(3594)))
    assert world.drift() == []


def test_checkout_claiming_a_shipment_no_service_has_is_reported_and_left_alone() -> None:
    world = backordered()
    world.update_order("ord_1", status="SHIPPED", fulfillment_status="SHIPPED")
    [finding] = world.drift()
    assert finding.kind is Kind.ORDER_STATUS_MISMATCH
    assert finding.repair is None
    assert finding.evidence["ahead"] == ["shipped"]


def test_checkout_ahead_only_counts_once_its_own_state_has_settled() -> None:
    world = backordered()
    world.update_order("ord_1", status="SHIPPED", fulfillment_status="SHIPPED", updated_at=ago(10))
    assert world.drift() == []


def test_a_capture_failure_at_checkout_is_not_claiming_anything() -> None:
    world = backordered()
    world.update_order("ord_1", payment_status="CAPTURE_FAILED")
    assert world.drift() == []


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


@pytest.mark.parametrize("kind", list(Kind))
def test_every_finding_carries_evidence_and_a_detail(kind: Kind) -> None:
    worlds = {
        Kind.ORDER_CONFIRMED_EVENT_LOST: in_flight_confirmation(90),
        Kind.ORPHAN_RESERVATION: abandoned_checkout(600),
        Kind.ORPHAN_AUTHORIZATION: abandoned_checkout(600),
        Kind.RESERVATION_NOT_COMMITTED: _with(shipped(200), "reservations", status="HELD"),
        Kind.PAYMENT_NOT_CAPTURED: _with(shipped(200), "authorizations", status="VOIDED"),
        Kind.NOTIFICATION_MISSING: _with(completed(), "notifications", status="FAILED"),
        Kind.ORDER_STATUS_MISMATCH: _with_order(completed(), status="SHIPPED"),
        Kind.UNCLASSIFIED: _with_order(completed(), status="REJECTED"),
    }
    found = [f for f in worlds[kind].drift() if f.kind is kind]
    assert found
    assert all(f.evidence and f.detail for f in found)


def _with(world: World, rows: str, **changes: object) -> World:
    world.update(rows, "ord_1", **changes)
    return world


def _with_order(world: World, **changes: object) -> World:
    world.update_order("ord_1", **changes)
    return world


def test_the_default_window_and_policy_are_what_the_tests_assume() -> None:
    assert WINDOW.until == NOW
    assert POLICY.allocation == timedelta(seconds=60)

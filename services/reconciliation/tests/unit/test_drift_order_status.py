"""The drift rule of order-status-mismatch: checkout behind (or ahead of) what the other
services hold."""

from reconciliation.domain.findings import Action, Kind, Repair

from .world import (
    ago,
    backorder,
    backordered,
    completed,
    notification,
)

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

"""The drift rules of reservation-not-committed and payment-not-captured: a shipped order
left unsettled."""

from reconciliation.domain.findings import Action, Kind, Repair

from .world import (
    ago,
    shipped,
)

# -- shipped but not settled ------------------------------------------------------------


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

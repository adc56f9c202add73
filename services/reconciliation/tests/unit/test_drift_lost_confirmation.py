"""The drift rule of order-confirmed-event-lost: a confirmed order fulfillment never heard of."""

from reconciliation.domain.findings import Action, Kind, Repair

from .world import (
    ago,
    in_flight_confirmation,
)

# -- order-confirmed-event-lost ---------------------------------------------------------


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

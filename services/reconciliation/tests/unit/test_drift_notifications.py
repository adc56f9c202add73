"""The drift rule of notification-missing: an email the customer is owed and was not sent."""

from reconciliation.domain.findings import Action, Kind, Repair

from .world import (
    backordered,
    completed,
    shipped,
)

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

"""What the order page tells the customer at each status (pure)."""

import pytest
from storefront.order_phase import money, phase_of


def test_a_confirmed_order_waiting_for_fulfillment_is_a_state_of_its_own() -> None:
    phase = phase_of({"status": "CONFIRMED", "fulfillment_status": "PENDING"})
    assert phase.headline == "Order accepted, fulfillment pending"
    assert (phase.tone, phase.final, phase.step) == ("wait", False, 1)


@pytest.mark.parametrize(
    ("status", "headline", "final", "step"),
    [
        ("BACKORDERED", "Order accepted, backordered: it ships when stock arrives", False, 1),
        ("SHIPPED", "Shipped", False, 2),
        ("COMPLETED", "Completed: delivered and paid", True, 3),
        ("CANCELLED", "Cancelled", True, 0),
    ],
)
def test_each_later_status_has_its_words_and_says_whether_to_keep_following(
    status: str, headline: str, final: bool, step: int
) -> None:
    phase = phase_of({"status": status, "fulfillment_status": "ALLOCATED"})
    assert (phase.headline, phase.final, phase.step) == (headline, final, step)


def test_a_rejected_order_says_why() -> None:
    phase = phase_of({"status": "REJECTED", "reject_reason": "payment-declined"})
    assert phase.headline == "Not placed: payment-declined"
    assert phase.final


def test_money_is_shown_in_major_units() -> None:
    assert money({"amount": 1999, "currency": "EUR"}) == "19.99 EUR"
    assert money(None) == "-"

"""What the customer is told about an order, from checkout's status fields.

    phase_of({"status": "CONFIRMED", "fulfillment_status": "PENDING"}).headline
    # "Order accepted, fulfillment pending"

Checkout answers yes or no at once; everything after is collaboration on the services' own
clocks, so "accepted, fulfillment pending" is a state of its own, not a spinner.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

FINAL = frozenset(("COMPLETED", "CANCELLED", "REJECTED"))
STEPS = ("CONFIRMED", "SHIPPED", "COMPLETED")


@dataclass(frozen=True)
class Phase:
    headline: str
    tone: str  # ok | wait | bad: the page's colour for it
    final: bool
    step: int  # how many of STEPS are done (0 when the order left the happy path)


def phase_of(order: Mapping[str, Any]) -> Phase:
    status = str(order.get("status", ""))
    fulfillment = str(order.get("fulfillment_status", ""))
    if status == "CONFIRMED" and fulfillment in ("PENDING", ""):
        return Phase("Order accepted, fulfillment pending", "wait", False, 1)
    if status == "CONFIRMED":
        return Phase(f"Order accepted, fulfillment {fulfillment.lower()}", "wait", False, 1)
    if status == "BACKORDERED":
        return Phase("Order accepted, backordered: it ships when stock arrives", "wait", False, 1)
    if status == "SHIPPED":
        return Phase("Shipped", "ok", False, 2)
    if status == "COMPLETED":
        return Phase("Completed: delivered and paid", "ok", True, 3)
    if status == "CANCELLED":
        return Phase("Cancelled", "bad", True, 0)
    if status == "REJECTED":
        reason = order.get("reject_reason") or "refused"
        return Phase(f"Not placed: {reason}", "bad", True, 0)
    return Phase(status.title() or "Unknown", "wait", status in FINAL, 0)


def money(value: Mapping[str, Any] | None) -> str:
    """`{"amount": 1999, "currency": "EUR"}` -> "19.99 EUR" (amounts are minor units)."""
    if not value:
        return "-"
    return f"{int(value['amount']) / 100:.2f} {value['currency']}"

"""NOTIFICATION_MISSING: an email the customer is owed was not sent by its deadline.

Repaired by communications' resend, which is idempotent per (order, kind).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from reconciliation.domain.drift_wording import late
from reconciliation.domain.findings import Action, Finding, Kind, Policy, Repair
from reconciliation.domain.sources import OrderRecord, Seen, facts_of


def missing_notifications(
    order: OrderRecord, seen: Seen, now: datetime, policy: Policy
) -> Iterator[Finding]:
    # ORDER_CONFIRMED is owed only once fulfillment proves OrderConfirmed was delivered;
    # before that, a missing one is the lost event's to repair (republishing sends it).
    if not (seen.shipments or seen.backorders):
        return
    owed: list[tuple[str, datetime]] = [("ORDER_CONFIRMED", order.created_at)]
    if seen.backorders:
        owed.append(("BACKORDER_DECLARED", seen.backorders[0].created_at))
    if seen.shipments:
        owed.append(("SHIPMENT_CREATED", seen.shipments[0].created_at))
    for kind, since in owed:
        of_kind = [n for n in seen.notifications if n.kind == kind]
        due = since + policy.notification
        if now < due or any(n.status == "SENT" for n in of_kind):
            continue
        yield Finding(
            Kind.NOTIFICATION_MISSING,
            order.order_id,
            f"no {kind} notification sent {late(now, due)} after its deadline",
            {
                "notification_kind": kind,
                "owed_since": since.isoformat(),
                "due_at": due.isoformat(),
                "communications": {"notifications": [facts_of(n) for n in of_kind]},
            },
            Repair(Action.RESEND_NOTIFICATION, order.order_id, _resend_params(order, kind)),
        )


def _resend_params(order: OrderRecord, kind: str) -> dict[str, object]:
    """`kind`, and what checkout says of the customer and the total, where it says it:
    communications needs them when the order's OrderConfirmed never reached it."""
    params: dict[str, object] = {"kind": kind}
    if order.customer_id and order.customer_email:
        params["recipient"] = {"customer_id": order.customer_id, "email": order.customer_email}
    if order.total_amount is not None and order.total_currency:
        params["total"] = {"amount": order.total_amount, "currency": order.total_currency}
    return params

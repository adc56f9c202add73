"""RESERVATION_NOT_COMMITTED and PAYMENT_NOT_CAPTURED: an order shipped, but inventory or
payment did not settle it by the deadline (their ShipmentCreated was lost or failed).

Repaired by the commit and capture commands; a shipped order with no hold or no
authorization at all is UNCLASSIFIED (nothing safe to do).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from reconciliation.domain.drift_wording import late
from reconciliation.domain.findings import Action, Finding, Kind, Policy, Repair
from reconciliation.domain.sources import OrderRecord, Seen, facts_of


def shipped_but_not_settled(
    order: OrderRecord, seen: Seen, now: datetime, policy: Policy
) -> Iterator[Finding]:
    shipped_at = seen.shipments[0].created_at
    shipments = [facts_of(s) for s in seen.shipments]

    due = shipped_at + policy.reservation_commit
    if now >= due and not any(r.status == "COMMITTED" for r in seen.reservations):
        evidence = {
            "fulfillment": {"shipments": shipments},
            "inventory": {"reservations": [facts_of(r) for r in seen.reservations]},
            "due_at": due.isoformat(),
        }
        if not seen.reservations:
            yield Finding(
                Kind.UNCLASSIFIED,
                order.order_id,
                "shipped, but inventory holds no reservation for the order",
                evidence,
                None,
            )
        else:
            statuses = "/".join(r.status for r in seen.reservations)
            yield Finding(
                Kind.RESERVATION_NOT_COMMITTED,
                order.order_id,
                f"shipped, but the reservation is {statuses} {late(now, due)} "
                "after the commit deadline",
                evidence,
                Repair(Action.COMMIT_RESERVATION, order.order_id),
            )

    due = shipped_at + policy.payment_capture
    if now >= due and not any(a.status == "CAPTURED" for a in seen.authorizations):
        evidence = {
            "fulfillment": {"shipments": shipments},
            "payment": {"authorizations": [facts_of(a) for a in seen.authorizations]},
            "due_at": due.isoformat(),
        }
        if not seen.authorizations:
            yield Finding(
                Kind.UNCLASSIFIED,
                order.order_id,
                "shipped, but payment holds no authorization for the order",
                evidence,
                None,
            )
        else:
            statuses = "/".join(a.status for a in seen.authorizations)
            yield Finding(
                Kind.PAYMENT_NOT_CAPTURED,
                order.order_id,
                f"shipped, but the payment is {statuses} {late(now, due)} "
                "after the capture deadline",
                evidence,
                Repair(Action.CAPTURE_PAYMENT, order.order_id),
            )

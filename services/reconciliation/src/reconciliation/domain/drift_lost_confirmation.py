"""ORDER_CONFIRMED_EVENT_LOST: checkout confirmed an order fulfillment never heard of.

Repaired by republishing OrderConfirmed (allocation is idempotent per order).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from reconciliation.domain.drift_wording import late
from reconciliation.domain.findings import Action, Finding, Kind, Policy, Repair
from reconciliation.domain.sources import OrderRecord, Seen, facts_of


def lost_confirmation(
    order: OrderRecord, seen: Seen, now: datetime, policy: Policy
) -> Iterator[Finding]:
    # Only a CONFIRMED order: one that checkout already has as backordered or shipped
    # without fulfillment knowing is an order-status-mismatch, not a lost event.
    if order.status != "CONFIRMED" or seen.shipments or seen.backorders:
        return
    due = order.created_at + policy.allocation
    if now < due:
        return
    yield Finding(
        Kind.ORDER_CONFIRMED_EVENT_LOST,
        order.order_id,
        f"confirmed, but fulfillment has neither a shipment nor a backorder "
        f"{late(now, due)} after the allocation deadline",
        {
            "checkout": facts_of(order),
            "fulfillment": {"shipments": [], "backorders": []},
            "due_at": due.isoformat(),
        },
        Repair(Action.REPUBLISH_ORDER_CONFIRMED, order.order_id),
    )

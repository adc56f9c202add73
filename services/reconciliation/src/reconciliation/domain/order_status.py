"""Does checkout's view of an order agree with what the other services know?

Checkout derives its statuses from facts it learns by events (checkout.domain.progress).
Here the same facts are read from their owners and compared with what checkout's statuses
claim, both ways:

- behind: a fact its owner has held for longer than `status_settle` that checkout's
  statuses do not show (an event lost on the way to checkout). Repair: post the facts.
- ahead: checkout claims a fact no owner confirms. Posting facts cannot take a fact back,
  so this is reported and left OPEN.

Statuses hide some facts by design (a shipped order no longer shows that it was
backordered; a capture outranks a void), so a hidden fact is never "behind".
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from reconciliation.domain.findings import Action, Finding, Kind, Policy, Repair
from reconciliation.domain.sources import OrderRecord, Seen

FACTS = ("backordered", "shipped", "dispatched", "captured", "voided", "notified")
HIDDEN_BY: Mapping[str, tuple[str, ...]] = {"backordered": ("shipped",), "voided": ("captured",)}
STATUS_RANK: Mapping[str, int] = {"CONFIRMED": 0, "BACKORDERED": 1, "SHIPPED": 2, "COMPLETED": 3}


def downstream_facts(seen: Seen) -> dict[str, datetime | None]:
    """Each fact's earliest time at its owner (None: not a fact there)."""
    captured = [
        a.captured_at or a.created_at for a in seen.authorizations if a.status == "CAPTURED"
    ]
    voided = [a.voided_at or a.created_at for a in seen.authorizations if a.status == "VOIDED"]
    return {
        "backordered": _first([b.created_at for b in seen.backorders]),
        "shipped": _first([s.created_at for s in seen.shipments]),
        "dispatched": _first([s.created_at for s in seen.shipments if s.status == "DISPATCHED"]),
        "captured": _first(captured),
        "voided": _first(voided),
        "notified": _first([n.created_at for n in seen.notifications if n.status == "SENT"]),
    }


def claimed_facts(order: OrderRecord) -> set[str]:
    """The facts checkout's statuses assert."""
    claims = set()
    if order.fulfillment_status in ("SHIPPED", "DISPATCHED") or order.status in (
        "SHIPPED",
        "COMPLETED",
    ):
        claims.add("shipped")
    if order.fulfillment_status == "DISPATCHED":
        claims.add("dispatched")
    if "BACKORDERED" in (order.fulfillment_status, order.status):
        claims.add("backordered")
    if order.payment_status == "CAPTURED" or order.status == "COMPLETED":
        claims.add("captured")
    if order.payment_status == "VOIDED":
        claims.add("voided")
    if order.notification_status == "NOTIFIED":
        claims.add("notified")
    return claims


def expected_status(facts: set[str]) -> str:
    """Checkout's order status for these facts (the same rules as checkout's own)."""
    if "shipped" in facts:
        return "COMPLETED" if "captured" in facts else "SHIPPED"
    return "BACKORDERED" if "backordered" in facts else "CONFIRMED"


def status_mismatch(
    order: OrderRecord, seen: Seen, now: datetime, policy: Policy
) -> Finding | None:
    """The order-status-mismatch finding for a confirmed order, if its statuses disagree."""
    times = downstream_facts(seen)
    known = {fact for fact, at in times.items() if at is not None}
    settled = {
        fact for fact, at in times.items() if at is not None and at + policy.status_settle <= now
    }
    claimed = claimed_facts(order)
    behind = sorted(
        fact
        for fact in settled - claimed
        if not any(masking in claimed for masking in HIDDEN_BY.get(fact, ()))
    )
    expected = expected_status(settled)
    status_behind = STATUS_RANK[expected] > STATUS_RANK.get(order.status, 0)
    # Checkout's state must itself have settled: it may have learned a fact after its
    # owner's page was read.
    ahead = sorted(claimed - known) if order.updated_at + policy.status_settle <= now else []
    if not (behind or status_behind or ahead):
        return None

    evidence: dict[str, object] = {
        "checkout": {
            "status": order.status,
            "fulfillment_status": order.fulfillment_status,
            "payment_status": order.payment_status,
            "notification_status": order.notification_status,
            "updated_at": order.updated_at.isoformat(),
        },
        "facts": {fact: None if at is None else at.isoformat() for fact, at in times.items()},
        "behind": behind,
        "ahead": ahead,
        "expected_status": expected,
    }
    if ahead:
        detail = f"checkout claims {', '.join(ahead)}, which no owning service confirms"
        return Finding(Kind.ORDER_STATUS_MISMATCH, order.order_id, detail, evidence, None)
    lagging = behind or [f"status {expected}"]
    detail = f"checkout shows {order.status} but the services say {', '.join(lagging)}"
    facts = {fact: fact in known for fact in FACTS}
    repair = Repair(Action.POST_ORDER_FACTS, order.order_id, facts)
    return Finding(Kind.ORDER_STATUS_MISMATCH, order.order_id, detail, evidence, repair)


def _first(moments: list[datetime]) -> datetime | None:
    return min(moments) if moments else None

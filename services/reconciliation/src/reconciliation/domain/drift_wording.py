"""How the drift rules word a finding and gather its evidence (shared by every rule).

late(now, due)      # "90s", "12m", "3h": how far past a deadline
unclassified(order_id, "fulfillment shipped ...", order, seen)   # a finding with no repair
"""

from __future__ import annotations

from datetime import datetime, timedelta

from reconciliation.domain.findings import Finding, Kind
from reconciliation.domain.sources import OrderRecord, Seen, facts_of


def unclassified(order_id: str, detail: str, order: OrderRecord | None, seen: Seen) -> Finding:
    evidence = {
        "checkout": order_facts(order),
        "fulfillment": {"shipments": [facts_of(s) for s in seen.shipments]},
        "inventory": {"reservations": [facts_of(r) for r in seen.reservations]},
        "payment": {"authorizations": [facts_of(a) for a in seen.authorizations]},
    }
    return Finding(Kind.UNCLASSIFIED, order_id, detail, evidence, None)


def order_facts(order: OrderRecord | None) -> dict[str, object] | None:
    return None if order is None else facts_of(order)


def no_order(order: OrderRecord | None) -> str:
    return "no order at checkout" if order is None else f"the order {order.status} at checkout"


def late(now: datetime, due: datetime) -> str:
    return _duration(now - due)


def age(now: datetime, since: datetime) -> str:
    return _duration(now - since)


def _duration(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return f"{seconds}s"
    if seconds < 7200:
        return f"{seconds // 60}m"
    return f"{seconds // 3600}h"

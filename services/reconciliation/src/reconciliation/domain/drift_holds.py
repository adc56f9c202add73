"""CONFIRMED_HOLD_ENDED: a confirmed order, not shipped, whose hold was released or expired.

Checkout confirms the hold once the order is stored, and inventory confirms it again on
OrderConfirmed; only if both were lost (inventory down, then the event late past the TTL or
dead-lettered) can it expire, and the stock would then be resold under an order the
customer was told is confirmed. Inventory would otherwise only notice at ship time.

Repaired by holding the stock again (inventory's re-hold, which refuses if the stock went
to other orders meanwhile: the finding then stays OPEN for a person). No deadline applies:
a confirmed order's hold never ends on purpose while the order stands.
"""

from __future__ import annotations

from collections.abc import Iterator

from reconciliation.domain.drift_wording import order_facts
from reconciliation.domain.findings import Action, Finding, Kind, Repair
from reconciliation.domain.sources import OrderRecord, Seen, facts_of

ENDED = frozenset(("RELEASED", "EXPIRED"))
# Statuses of a confirmed order whose goods have not left: its hold must still be there.
WAITING = frozenset(("CONFIRMED", "BACKORDERED"))


def ended_hold(order: OrderRecord, seen: Seen) -> Iterator[Finding]:
    if order.status not in WAITING or seen.shipments or not seen.reservations:
        return
    if not all(r.status in ENDED for r in seen.reservations):
        return
    statuses = "/".join(r.status for r in seen.reservations)
    yield Finding(
        Kind.CONFIRMED_HOLD_ENDED,
        order.order_id,
        f"order {order.status}, but its hold is {statuses}: the stock is no longer held",
        {
            "checkout": order_facts(order),
            "inventory": {"reservations": [facts_of(r) for r in seen.reservations]},
        },
        Repair(Action.REHOLD_RESERVATION, order.order_id),
    )

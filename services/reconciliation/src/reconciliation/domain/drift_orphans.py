"""ORPHAN_RESERVATION and ORPHAN_AUTHORIZATION: a hold or an authorization no confirmed
order stands behind, older than the grace period a checkout in flight needs.

Repaired by releasing the hold and voiding the authorization.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from reconciliation.domain.drift_wording import age, no_order, order_facts, unclassified
from reconciliation.domain.findings import Action, Finding, Kind, Policy, Repair, Window
from reconciliation.domain.sources import (
    AuthorizationRecord,
    OrderRecord,
    ReservationRecord,
    Snapshot,
    facts_of,
)


def orphans(snapshot: Snapshot, window: Window, now: datetime, policy: Policy) -> Iterator[Finding]:
    """Holds and authorizations no confirmed order stands behind, past the grace period."""

    def aged(created_at: datetime) -> bool:
        return created_at in window and now - created_at >= policy.orphan_grace

    holds = {
        order_id: [r for r in rs if r.status == "HELD" and aged(r.created_at)]
        for order_id, rs in snapshot.reservations.items()
    }
    auths = {
        order_id: [a for a in auths if a.status == "AUTHORIZED" and aged(a.created_at)]
        for order_id, auths in snapshot.authorizations.items()
    }
    for order_id in sorted(
        {o for o, rs in holds.items() if rs} | {o for o, a in auths.items() if a}
    ):
        order = snapshot.orders.get(order_id)
        if order is not None and order.confirmed:
            continue
        seen = snapshot.about(order_id)
        if seen.shipments:
            # Goods left for an order checkout does not stand behind: releasing or voiding
            # would be as wrong as committing or capturing. (An order in the window with a
            # shipment is already reported by the order rules.)
            if order is None or order.created_at not in window:
                yield unclassified(
                    order_id, "fulfillment shipped an order checkout does not hold", order, seen
                )
            continue
        if holds.get(order_id):
            yield _orphan_reservation(order_id, holds[order_id], order, now)
        if auths.get(order_id):
            yield _orphan_authorization(order_id, auths[order_id], order, now)


def _orphan_reservation(
    order_id: str, held: list[ReservationRecord], order: OrderRecord | None, now: datetime
) -> Finding:
    return Finding(
        Kind.ORPHAN_RESERVATION,
        order_id,
        f"reservation HELD for {age(now, held[0].created_at)} with {no_order(order)}",
        {
            "inventory": {"reservations": [facts_of(r) for r in held]},
            "checkout": order_facts(order),
        },
        Repair(Action.RELEASE_RESERVATION, order_id),
    )


def _orphan_authorization(
    order_id: str, authorized: list[AuthorizationRecord], order: OrderRecord | None, now: datetime
) -> Finding:
    return Finding(
        Kind.ORPHAN_AUTHORIZATION,
        order_id,
        f"payment AUTHORIZED for {age(now, authorized[0].created_at)} with {no_order(order)}",
        {
            "payment": {"authorizations": [facts_of(a) for a in authorized]},
            "checkout": order_facts(order),
        },
        Repair(Action.VOID_AUTHORIZATION, order_id),
    )

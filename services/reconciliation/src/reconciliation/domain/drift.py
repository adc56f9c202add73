"""The drift rules: compare every source of truth and say what is wrong and how to repair it.

    findings = find_drift(snapshot, window=Window(since, until), now=now, policy=policy)

A pure function of what was read and the clock. The window names the rows being judged
(orders, holds and authorizations created in [since, until)); the snapshot may hold more
(the reader looks a little before `since` and up to now), as context: the reservation of an
order made just after `since`, the shipment of an order made just before `until`.

What is NOT drift, on purpose:
- a checkout in flight: a hold or authorization younger than the orphan grace period;
- anything whose deadline has not passed yet (each collaboration runs on its own clock);
- a backordered order without a shipment (it waits for stock);
- a cancelled or rejected order whose hold is released and authorization voided.

Rules never guess: where the sources contradict each other in a way no repair command
resolves, the finding carries no repair and stays OPEN.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from reconciliation.domain.findings import Action, Finding, Kind, Policy, Repair, Window
from reconciliation.domain.order_status import status_mismatch
from reconciliation.domain.sources import (
    AuthorizationRecord,
    OrderRecord,
    ReservationRecord,
    Seen,
    Snapshot,
    facts_of,
)


def find_drift(
    snapshot: Snapshot, *, window: Window, now: datetime, policy: Policy
) -> list[Finding]:
    """Every finding, ordered by order id then kind (a stable report)."""
    findings: list[Finding] = []
    for order in snapshot.orders.values():
        if order.created_at in window:
            findings.extend(_order_drift(order, snapshot.about(order.order_id), now, policy))
    findings.extend(_orphans(snapshot, window, now, policy))
    return sorted(findings, key=lambda f: (f.order_id, f.kind.value, f.detail))


def _order_drift(
    order: OrderRecord, seen: Seen, now: datetime, policy: Policy
) -> Iterator[Finding]:
    if not order.confirmed:
        if seen.shipments:
            yield _unclassified(
                order.order_id,
                f"fulfillment shipped an order checkout has as {order.status}",
                order,
                seen,
            )
        return
    yield from _lost_confirmation(order, seen, now, policy)
    if seen.shipments:
        yield from _shipped_but_not_settled(order, seen, now, policy)
    yield from _missing_notifications(order, seen, now, policy)
    mismatch = status_mismatch(order, seen, now, policy)
    if mismatch is not None:
        yield mismatch


def _lost_confirmation(
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
        f"{_late(now, due)} after the allocation deadline",
        {
            "checkout": facts_of(order),
            "fulfillment": {"shipments": [], "backorders": []},
            "due_at": due.isoformat(),
        },
        Repair(Action.REPUBLISH_ORDER_CONFIRMED, order.order_id),
    )


def _shipped_but_not_settled(
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
                f"shipped, but the reservation is {statuses} {_late(now, due)} "
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
                f"shipped, but the payment is {statuses} {_late(now, due)} "
                "after the capture deadline",
                evidence,
                Repair(Action.CAPTURE_PAYMENT, order.order_id),
            )


def _missing_notifications(
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
            f"no {kind} notification sent {_late(now, due)} after its deadline",
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


def _orphans(
    snapshot: Snapshot, window: Window, now: datetime, policy: Policy
) -> Iterator[Finding]:
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
                yield _unclassified(
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
        f"reservation HELD for {_age(now, held[0].created_at)} with {_no_order(order)}",
        {
            "inventory": {"reservations": [facts_of(r) for r in held]},
            "checkout": _order_facts(order),
        },
        Repair(Action.RELEASE_RESERVATION, order_id),
    )


def _orphan_authorization(
    order_id: str, authorized: list[AuthorizationRecord], order: OrderRecord | None, now: datetime
) -> Finding:
    return Finding(
        Kind.ORPHAN_AUTHORIZATION,
        order_id,
        f"payment AUTHORIZED for {_age(now, authorized[0].created_at)} with {_no_order(order)}",
        {
            "payment": {"authorizations": [facts_of(a) for a in authorized]},
            "checkout": _order_facts(order),
        },
        Repair(Action.VOID_AUTHORIZATION, order_id),
    )


def _unclassified(order_id: str, detail: str, order: OrderRecord | None, seen: Seen) -> Finding:
    evidence = {
        "checkout": _order_facts(order),
        "fulfillment": {"shipments": [facts_of(s) for s in seen.shipments]},
        "inventory": {"reservations": [facts_of(r) for r in seen.reservations]},
        "payment": {"authorizations": [facts_of(a) for a in seen.authorizations]},
    }
    return Finding(Kind.UNCLASSIFIED, order_id, detail, evidence, None)


def _order_facts(order: OrderRecord | None) -> dict[str, object] | None:
    return None if order is None else facts_of(order)


def _no_order(order: OrderRecord | None) -> str:
    return "no order at checkout" if order is None else f"the order {order.status} at checkout"


def _late(now: datetime, due: datetime) -> str:
    return _duration(now - due)


def _age(now: datetime, since: datetime) -> str:
    return _duration(now - since)


def _duration(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return f"{seconds}s"
    if seconds < 7200:
        return f"{seconds // 60}m"
    return f"{seconds // 3600}h"

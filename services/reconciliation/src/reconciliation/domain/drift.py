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

One module per kind of finding: `drift_lost_confirmation`, `drift_holds`, `drift_shipments`,
`drift_notifications`, `drift_orphans`, `drift_returns` and `order_status`; `drift_wording`
words them.

Rules never guess: where the sources contradict each other in a way no repair command
resolves, the finding carries no repair and stays OPEN.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from reconciliation.domain.drift_holds import ended_hold
from reconciliation.domain.drift_lost_confirmation import lost_confirmation
from reconciliation.domain.drift_notifications import missing_notifications
from reconciliation.domain.drift_orphans import orphans
from reconciliation.domain.drift_returns import unsettled_returns
from reconciliation.domain.drift_shipments import shipped_but_not_settled
from reconciliation.domain.drift_wording import unclassified
from reconciliation.domain.findings import Finding, Policy, Window
from reconciliation.domain.order_status import status_mismatch
from reconciliation.domain.sources import OrderRecord, Seen, Snapshot


def find_drift(
    snapshot: Snapshot, *, window: Window, now: datetime, policy: Policy
) -> list[Finding]:
    """Every finding, ordered by order id then kind (a stable report)."""
    findings: list[Finding] = []
    for order in snapshot.orders.values():
        if order.created_at in window:
            findings.extend(_order_drift(order, snapshot.about(order.order_id), now, policy))
    findings.extend(orphans(snapshot, window, now, policy))
    findings.extend(unsettled_returns(snapshot, window, now, policy))
    return sorted(findings, key=lambda f: (f.order_id, f.kind.value, f.detail))


def _order_drift(
    order: OrderRecord, seen: Seen, now: datetime, policy: Policy
) -> Iterator[Finding]:
    if not order.confirmed:
        if seen.shipments:
            yield unclassified(
                order.order_id,
                f"fulfillment shipped an order checkout has as {order.status}",
                order,
                seen,
            )
        return
    yield from lost_confirmation(order, seen, now, policy)
    yield from ended_hold(order, seen)
    if seen.shipments:
        yield from shipped_but_not_settled(order, seen, now, policy)
    yield from missing_notifications(order, seen, now, policy)
    mismatch = status_mismatch(order, seen, now, policy)
    if mismatch is not None:
        yield mismatch

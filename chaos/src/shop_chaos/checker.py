"""The invariants of the shop, checked over a settled run (in the spirit of Jepsen's checkers).

    anomalies = check(attempts, truth, ledger)
    for a in anomalies:
        print(a.kind, a.subject, a.detail)        # "duplicate-capture ord_12 2 captures"

Pure: it reads the client's history and every service's source of truth and says what
disagrees, naming the order (or SKU) each time. It never asks a service anything and
never repairs; an empty list means every invariant held:

- no order lost: every 201 is CONFIRMED or later, one order per customer; nothing held or
  authorized for an order that is not live (a refusal leaves nothing behind);
- one order per Idempotency-Key (each customer checks out with one key): every order of a
  customer but one is superseded by that one (ADR 0011), and a 201 names that one;
- no duplicate side effect: one capture, one shipment, one email per fact per order;
- no missing email: a COMPLETED order's confirmation and shipment, a BACKORDERED one's
  confirmation and backorder, each SENT and in the mailbox;
- no oversell: on hand never negative, initial + replenished = on hand + shipped, and
  inventory's reserved count is what its HELD reservations hold;
- money balances: a capture for each COMPLETED order, of its total, and for no other;
- converged: every live order COMPLETED or BACKORDERED, its hold committed or held, never
  ended under it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from shop_chaos.history import Attempt, Ledger, Row, Truth

LIVE = frozenset({"CONFIRMED", "BACKORDERED", "SHIPPED", "COMPLETED"})
SETTLED = frozenset({"COMPLETED", "BACKORDERED"})


@dataclass(frozen=True, order=True)
class Anomaly:
    kind: str
    subject: str  # an order id, or a SKU for the stock invariants
    detail: str


def check(attempts: Sequence[Attempt], truth: Truth, ledger: Ledger) -> list[Anomaly]:
    """Every invariant violated by this history, sorted by kind and subject."""
    found = [
        *lost_orders(attempts, truth),
        *orders_per_key(attempts, truth),
        *left_behind(truth),
        *duplicate_effects(truth),
        *missing_emails(truth),
        *stock_imbalance(attempts, truth, ledger),
        *money_imbalance(truth),
        *not_converged(truth),
    ]
    return sorted(set(found))


def _by_order(rows: Iterable[Row]) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[str(row["order_id"])].append(row)
    return grouped


def _live(truth: Truth) -> dict[str, Row]:
    return {str(o["order_id"]): o for o in truth.orders if o["status"] in LIVE}


def lost_orders(attempts: Sequence[Attempt], truth: Truth) -> list[Anomaly]:
    orders = {str(o["order_id"]): o for o in truth.orders}
    found = []
    for attempt in attempts:
        if attempt.status != 201 or attempt.order_id is None:
            continue
        order = orders.get(attempt.order_id)
        if order is None:
            found.append(Anomaly("lost-order", attempt.order_id, "answered 201, no such order"))
        elif order["status"] not in LIVE:
            detail = f"answered 201, now {order['status']}"
            found.append(Anomaly("lost-order", attempt.order_id, detail))
    per_customer = Counter(str(o["customer_id"]) for o in truth.orders if o["status"] in LIVE)
    for order in truth.orders:
        if order["status"] in LIVE and per_customer[str(order["customer_id"])] > 1:
            detail = f"customer {order['customer_id']} has {per_customer[order['customer_id']]}"
            found.append(Anomaly("duplicate-order", str(order["order_id"]), detail))
    return found


def orders_per_key(attempts: Sequence[Attempt], truth: Truth) -> list[Anomaly]:
    """A retried key (503/504, then its retries) ends with one order: the earlier attempts'
    orders name it in `superseded_by`."""
    keyed = {a.customer_id for a in attempts}
    by_customer: dict[str, list[Row]] = defaultdict(list)
    for order in truth.orders:
        if str(order["customer_id"]) in keyed:
            by_customer[str(order["customer_id"])].append(order)
    found = []
    for customer, placed in by_customer.items():
        current = [o for o in placed if not o.get("superseded_by")]
        ids = {str(o["order_id"]) for o in placed}
        for order in placed:
            by = order.get("superseded_by")
            if by and (by not in ids or by == order["order_id"]):
                detail = f"superseded by {by}, not an order of {customer}"
                found.append(Anomaly("superseded-by-unknown", str(order["order_id"]), detail))
        if len(current) > 1:
            detail = f"key of {customer} has {len(current)} orders: {sorted(ids)}"
            found += [Anomaly("orders-per-key", str(o["order_id"]), detail) for o in current]
    for attempt in attempts:
        placed = by_customer.get(attempt.customer_id, [])
        named = [o for o in placed if o["order_id"] == attempt.order_id]
        if attempt.status == 201 and named and named[0].get("superseded_by"):
            detail = f"answered 201, superseded by {named[0]['superseded_by']}"
            found.append(Anomaly("orders-per-key", str(attempt.order_id), detail))
    return found


def left_behind(truth: Truth) -> list[Anomaly]:
    """Holds and authorizations of orders that are not live, and holds ended under live ones."""
    live = _live(truth)
    found = []
    for hold in truth.reservations:
        order = live.get(str(hold["order_id"]))
        if order is None and hold["status"] == "HELD":
            found.append(Anomaly("hold-without-order", str(hold["order_id"]), _row(hold)))
        if order is not None and hold["status"] in ("RELEASED", "EXPIRED"):
            detail = f"{_row(hold)} under a {order['status']} order"
            found.append(Anomaly("hold-ended-under-live-order", str(hold["order_id"]), detail))
    for auth in truth.authorizations:
        if str(auth["order_id"]) not in live and auth["status"] == "AUTHORIZED":
            detail = _row(auth)
            found.append(Anomaly("authorization-without-order", str(auth["order_id"]), detail))
    return found


def duplicate_effects(truth: Truth) -> list[Anomaly]:
    found = []
    for order_id, auths in _by_order(truth.authorizations).items():
        captured = [a for a in auths if a["status"] == "CAPTURED"]
        if len(captured) > 1:
            detail = f"{len(captured)} captures: {[a['authorization_id'] for a in captured]}"
            found.append(Anomaly("duplicate-capture", order_id, detail))
        standing = [a for a in auths if a["status"] in ("AUTHORIZED", "CAPTURED")]
        if len(standing) > 1:
            detail = f"{len(standing)} standing authorizations: {[_row(a) for a in standing]}"
            found.append(Anomaly("duplicate-authorization", order_id, detail))
    for order_id, shipments in _by_order(truth.shipments).items():
        if len(shipments) > 1:
            found.append(Anomaly("duplicate-shipment", order_id, f"{len(shipments)} shipments"))
    for order_id, notes in _by_order(truth.notifications).items():
        sent = Counter(str(n["kind"]) for n in notes if n["status"] == "SENT")
        for kind, count in sent.items():
            if count > 1:
                found.append(Anomaly("duplicate-email", order_id, f"{kind} sent {count} times"))
    found += _mailbox(truth)
    return found


EMAILS_OF = {
    "COMPLETED": ("ORDER_CONFIRMED", "SHIPMENT_CREATED"),
    "BACKORDERED": ("ORDER_CONFIRMED", "BACKORDER_DECLARED"),
}


def missing_emails(truth: Truth) -> list[Anomaly]:
    sent = {
        (str(n["order_id"]), str(n["kind"])) for n in truth.notifications if n["status"] == "SENT"
    }
    return [
        Anomaly("email-missing", str(order["order_id"]), f"{kind} of a {order['status']} order")
        for order in truth.orders
        for kind in EMAILS_OF.get(str(order["status"]), ())
        if (str(order["order_id"]), kind) not in sent
    ]


def _mailbox(truth: Truth) -> list[Anomaly]:
    """The mailbox against the notifications: one distinct message (Message-ID) per fact the
    service records."""
    facts: Counter[str] = Counter()
    orders = {str(o["order_id"]): o for o in truth.orders}
    recipient: dict[str, str] = {}
    for note in truth.notifications:
        order = orders.get(str(note["order_id"]))
        if order is not None and note["status"] == "SENT":
            facts[str(order["customer_email"]).lower()] += 1
            recipient[str(order["customer_email"]).lower()] = str(note["order_id"])
    found = []
    for email, count in facts.items():
        got = truth.mails.get(email, 0)
        if got != count:
            kind = "duplicate-mail" if got > count else "mail-missing"
            found.append(Anomaly(kind, recipient[email], f"{email}: {got} messages, {count} facts"))
    return found


def stock_imbalance(attempts: Sequence[Attempt], truth: Truth, ledger: Ledger) -> list[Anomaly]:
    quantity = {a.customer_id: (a.sku, a.quantity) for a in attempts}
    orders = {str(o["order_id"]): o for o in truth.orders}
    shipped: Counter[str] = Counter()
    held: Counter[str] = Counter()
    for hold in truth.reservations:
        order = orders.get(str(hold["order_id"]))
        if order is None or str(order["customer_id"]) not in quantity:
            continue
        sku, count = quantity[str(order["customer_id"])]
        if hold["status"] == "COMMITTED":
            shipped[sku] += count
        elif hold["status"] == "HELD":
            held[sku] += count
    found = []
    for sku, stock in sorted(truth.stock.items()):
        if stock.on_hand < 0:
            found.append(Anomaly("oversell", sku, f"on hand {stock.on_hand}"))
        start = ledger.initial_on_hand.get(sku, 0) + ledger.replenished.get(sku, 0)
        if start != stock.on_hand + shipped[sku]:
            detail = (
                f"initial+replenished {start} != on hand {stock.on_hand} + shipped {shipped[sku]}"
            )
            found.append(Anomaly("stock-unbalanced", sku, detail))
        if stock.reserved != held[sku]:
            detail = f"reserved {stock.reserved}, HELD reservations hold {held[sku]}"
            found.append(Anomaly("reserved-unbalanced", sku, detail))
    return found


def money_imbalance(truth: Truth) -> list[Anomaly]:
    captured: dict[str, int] = defaultdict(int)
    for auth in truth.authorizations:
        if auth["status"] == "CAPTURED":
            captured[str(auth["order_id"])] += int(auth["amount"]["amount"])
    completed = {
        str(o["order_id"]): int(o["total"]["amount"])
        for o in truth.orders
        if o["status"] == "COMPLETED"
    }
    found = []
    for order_id, total in completed.items():
        if order_id not in captured:
            found.append(Anomaly("completed-without-capture", order_id, f"total {total}"))
        elif captured[order_id] != total:
            detail = f"captured {captured[order_id]}, total {total}"
            found.append(Anomaly("capture-amount-mismatch", order_id, detail))
    statuses = {str(o["order_id"]): str(o["status"]) for o in truth.orders}
    for order_id, amount in captured.items():
        if order_id not in completed:
            detail = f"captured {amount}, order {statuses.get(order_id, 'missing')}"
            found.append(Anomaly("capture-without-completion", order_id, detail))
    return found


def not_converged(truth: Truth) -> list[Anomaly]:
    found = []
    holds = _by_order(truth.reservations)
    for order_id, order in _live(truth).items():
        if order["status"] not in SETTLED:
            found.append(Anomaly("not-converged", order_id, _order(order)))
        elif order["status"] == "COMPLETED" and not any(
            h["status"] == "COMMITTED" for h in holds.get(order_id, ())
        ):
            found.append(Anomaly("completed-hold-not-committed", order_id, _order(order)))
    return found


def totals(truth: Truth) -> Mapping[str, int]:
    """Money figures for the report: captured and COMPLETED totals, in minor units."""
    return {
        "captured": sum(
            int(a["amount"]["amount"]) for a in truth.authorizations if a["status"] == "CAPTURED"
        ),
        "completed": sum(
            int(o["total"]["amount"]) for o in truth.orders if o["status"] == "COMPLETED"
        ),
    }


def _row(row: Row) -> str:
    ident = row.get("reservation_id") or row.get("authorization_id") or ""
    return f"{ident} {row['status']}"


def _order(order: Row) -> str:
    return (
        f"{order['status']} (fulfillment {order['fulfillment_status']}, payment "
        f"{order['payment_status']}, notification {order['notification_status']})"
    )


def by_kind(anomalies: Sequence[Anomaly]) -> Mapping[str, list[Anomaly]]:
    grouped: dict[str, list[Anomaly]] = defaultdict(list)
    for anomaly in anomalies:
        grouped[anomaly.kind].append(anomaly)
    return grouped

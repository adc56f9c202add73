"""Drift of a received return, each judged after the return deadline (`policy.return_settle`):

- RETURN_NOT_REFUNDED, RETURN_NOT_RESTOCKED: payment did not refund it, or inventory did not
  put its units back (their ReturnReceived was lost, or payment refused it before the order
  was captured). Repaired by payment's refund and inventory's restock commands, both
  idempotent on the return id.
- RETURN_REFUND_UNHEARD: payment refunded it, but returns still shows it RECEIVED (the
  PaymentRefunded was lost). Repaired by the same refund command: payment answers with the
  refund it made and announces it again, and returns (keyed on the refund) moves on.

A return still REQUESTED owes nothing yet; a return is judged when it was requested in the
window, whatever the age of its order.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from reconciliation.domain.drift_wording import late
from reconciliation.domain.findings import Action, Finding, Kind, Policy, Repair, Window
from reconciliation.domain.sources import ReturnRecord, Snapshot, facts_of


def unsettled_returns(
    snapshot: Snapshot, window: Window, now: datetime, policy: Policy
) -> Iterator[Finding]:
    for ret in sorted(snapshot.returns.values(), key=lambda r: r.return_id):
        if ret.created_at not in window or ret.received_at is None:
            continue
        due = ret.received_at + policy.return_settle
        if now < due:
            continue
        refund = snapshot.refunds.get(ret.return_id)
        restock = snapshot.restocks.get(ret.return_id)
        evidence = {
            "returns": {"return": facts_of(ret)},
            "payment": {"refund": None if refund is None else facts_of(refund)},
            "inventory": {"restock": None if restock is None else facts_of(restock)},
            "due_at": due.isoformat(),
        }
        if refund is None:
            yield _not_refunded(ret, evidence, late(now, due))
        elif ret.status == "RECEIVED" and now >= refund.created_at + policy.return_settle:
            yield Finding(
                Kind.RETURN_REFUND_UNHEARD,
                ret.order_id,
                f"return {ret.return_id} refunded by payment ({refund.refund_id}) but still "
                f"RECEIVED in returns {late(now, refund.created_at + policy.return_settle)} "
                "after the deadline",
                evidence,
                _refund(ret),
            )
        if restock is None:
            yield Finding(
                Kind.RETURN_NOT_RESTOCKED,
                ret.order_id,
                f"return {ret.return_id} {_settled(refund)}but its units are not on hand "
                f"{late(now, due)} after the restock deadline",
                evidence,
                Repair(
                    Action.RESTOCK_RETURN,
                    ret.order_id,
                    {
                        "return_id": ret.return_id,
                        "lines": [{"sku": sku, "quantity": qty} for sku, qty in ret.lines],
                    },
                ),
            )


def _not_refunded(ret: ReturnRecord, evidence: dict[str, object], lateness: str) -> Finding:
    return Finding(
        Kind.RETURN_NOT_REFUNDED,
        ret.order_id,
        f"return {ret.return_id} received but not refunded {lateness} after the refund deadline",
        evidence,
        _refund(ret) if ret.refund_amount > 0 else None,
    )


def _refund(ret: ReturnRecord) -> Repair:
    return Repair(
        Action.REFUND_RETURN,
        ret.order_id,
        {"return_id": ret.return_id, "amount": ret.refund_amount},
    )


def _settled(refund: object) -> str:
    return "refunded " if refund is not None else "received "

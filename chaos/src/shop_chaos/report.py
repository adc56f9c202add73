"""The run's report: the schedule and what each nemesis did, the checkouts, convergence,
and every anomaly with its order id and coordination state.

    print("\\n".join(report_lines(run)))
"""

from __future__ import annotations

from collections import Counter

from shop_chaos.checker import by_kind, totals
from shop_chaos.history import Attempt
from shop_chaos.run import Run

SHOWN_PER_KIND = 10


def report_lines(run: Run) -> list[str]:
    lines = [
        "== chaos report",
        f"seed {run.seed} (replay: make chaos SEED={run.seed} CHECKOUTS={run.checkouts}); "
        f"{run.checkouts} checkouts at {run.rate}/s",
        "",
        f"-- faults ({len(run.performed)})",
    ]
    lines += [f"{p.fault}  ->  {p.said}" for p in run.performed]
    answers = Counter(_answer(a) for a in run.attempts)
    retried = sum(1 for a in run.attempts if a.tries > 1)
    orders = Counter(str(o["status"]) for o in run.truth.orders)
    money = totals(run.truth)
    lines += [
        "",
        "-- checkouts",
        f"stock topped up to the run's demand: {dict(run.ledger.replenished) or 'none needed'}",
        f"answers: {dict(sorted(answers.items()))}; retried with the same key: {retried}",
        f"orders in checkout: {dict(sorted(orders.items()))}",
        f"captured {money['captured']} vs COMPLETED totals {money['completed']} (minor units)",
        f"emails resent under their own Message-ID (a crash between send and record): "
        f"{run.truth.resent_copies}",
        "",
        "-- convergence",
        f"on their own: {run.settle.get('alone')}",
        f"one reconciliation run: {run.settle.get('reconciliation')}",
        f"after it: {run.settle.get('after')}",
        "",
        f"-- anomalies: {len(run.anomalies)}",
    ]
    for kind, found in sorted(by_kind(run.anomalies).items()):
        lines.append(f"{kind}: {len(found)}")
        for anomaly in found[:SHOWN_PER_KIND]:
            state = run.coordination.get(anomaly.subject)
            where = f"  [coordination {state}]" if state else ""
            lines.append(f"  {anomaly.subject}: {anomaly.detail}{where}")
        if len(found) > SHOWN_PER_KIND:
            lines.append(f"  ... and {len(found) - SHOWN_PER_KIND} more")
    return lines


def _answer(attempt: Attempt) -> str:
    """ "409 out-of-stock", "201", "no answer": a refusal named by its problem type."""
    if attempt.status is None:
        return "no answer"
    return f"{attempt.status} {attempt.problem}" if attempt.problem else str(attempt.status)

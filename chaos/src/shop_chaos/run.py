"""One chaos run: checkouts flow while the schedule's faults happen, then heal, settle,
one reconciliation run, and the checker over every source of truth.

    run = await chaos_run(deployment, seed=42, checkouts=500, rate=4.0, say=print)
    print("\\n".join(report_lines(run)))

Convergence: after the last fault the stack is healed (faults cleared, every process
ready), the orders get `SETTLE_WITHIN` seconds to settle on their own (or until nothing
has moved for `QUIET_FOR`), then exactly one reconciliation run repairs what drifted and
they get as long again. The checker then reads the truth as it is.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from shop_e2e.deployment import Deployment
from shop_e2e.shop import Shop

from shop_chaos.checker import LIVE, SETTLED, Anomaly, check
from shop_chaos.history import Attempt, Ledger, Truth
from shop_chaos.nemeses import Nemesis
from shop_chaos.observe import read_truth, stock_ledger
from shop_chaos.schedule import PROCESSES, Fault, plan
from shop_chaos.workload import Workload

SETTLE_WITHIN = 120.0
QUIET_FOR = 20.0
DESCRIBED = 40  # anomalies whose coordination state the report shows


@dataclass
class Performed:
    fault: Fault
    started: float
    said: str


@dataclass
class Run:
    seed: int
    checkouts: int
    rate: float
    schedule: list[Fault]
    ledger: Ledger = field(default_factory=lambda: Ledger({}))
    performed: list[Performed] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)
    settle: dict[str, Any] = field(default_factory=dict)
    anomalies: list[Anomaly] = field(default_factory=list)
    coordination: dict[str, str] = field(default_factory=dict)
    truth: Truth = field(default_factory=Truth)


async def chaos_run(
    deployment: Deployment, *, seed: int, checkouts: int, rate: float, say: Callable[[str], None]
) -> Run:
    since = datetime.now(UTC) - timedelta(seconds=1)
    run = Run(seed, checkouts, rate, plan(seed, checkouts / rate))
    say(f"chaos: seed {seed}, {checkouts} checkouts at {rate}/s, {len(run.schedule)} faults")
    async with Shop(deployment, timeout=15.0) as shop:
        workload = Workload(shop, seed=seed, count=checkouts, rate=rate)
        run.ledger = ledger = await stock_ledger(shop, workload.demand())
        if ledger.replenished:
            say(f"chaos: stock topped up to the run's demand: {dict(ledger.replenished)}")
        nemesis = Nemesis(deployment, shop, since=since, seed=seed)
        started = time.monotonic()
        checkouts_done = asyncio.create_task(workload.run())
        for fault in run.schedule:
            await asyncio.sleep(max(0.0, started + fault.at - time.monotonic()))
            at = time.monotonic() - started
            said = await nemesis.perform(fault)
            say(f"chaos: {fault}  ->  {said}  ({workload.done} checkouts answered)")
            run.performed.append(Performed(fault, at, said))
        run.attempts = await checkouts_done
        say(f"chaos: workload done after {time.monotonic() - started:.0f}s; healing")
        healed = time.monotonic()
        for note in await nemesis.heal():
            say(f"chaos: {note}")
        for name in PROCESSES:
            try:
                await nemesis.ready(name)
            except TimeoutError as exc:
                say(f"chaos: {exc}")
        run.settle = await _converge(shop, nemesis, since, healed, say)
        run.truth = await read_truth(shop, since)
        run.anomalies = check(run.attempts, run.truth, ledger)
        run.coordination = await _coordination(shop, run.anomalies)
    return run


async def _converge(
    shop: Shop, nemesis: Nemesis, since: datetime, healed: float, say: Callable[[str], None]
) -> dict[str, Any]:
    settled_alone = await _settled(shop, since, healed)
    say(f"chaos: settled on their own: {settled_alone}")
    repair = await nemesis.perform(Fault(0.0, "reconcile"))
    say(f"chaos: the one reconciliation run after the faults: {repair}")
    settled = await _settled(shop, since, healed)
    return {"alone": settled_alone, "reconciliation": repair, "after": settled}


async def _settled(shop: Shop, since: datetime, healed: float) -> str:
    """Wait until every live order is settled (or nothing moved for QUIET_FOR); say how it ended."""
    deadline = time.monotonic() + SETTLE_WITHIN
    last: Counter[str] = Counter()
    moved = time.monotonic()
    while True:
        orders = await shop.internal_read("checkout", "orders", since) or []
        states = Counter(str(o["status"]) for o in orders)
        pending = sum(n for status, n in states.items() if status in LIVE - SETTLED)
        now = time.monotonic()
        if pending == 0:
            return f"converged {now - healed:.1f}s after the faults ended ({dict(states)})"
        if states != last:
            last, moved = states, now
        if now - moved >= QUIET_FOR or now >= deadline:
            waited = f"{now - healed:.0f}s after the faults ended"
            return f"NOT converged: {pending} orders unsettled {waited} ({dict(states)})"
        await asyncio.sleep(1.0)


async def _coordination(shop: Shop, anomalies: list[Anomaly]) -> dict[str, str]:
    """Reconciliation's coordination state of the first anomalous orders, in one line each."""
    described: dict[str, str] = {}
    for anomaly in anomalies:
        order_id = anomaly.subject
        if order_id.startswith("SKU-") or order_id in described:
            continue
        if len(described) >= DESCRIBED:
            break
        state = await shop.coordination(order_id)
        if state is None:
            described[order_id] = "no event seen"
            continue
        steps = ", ".join(f"{s['step']}={s['status']}" for s in state.get("steps", []))
        described[order_id] = f"{state['status']}: {steps}"
    return described

"""The measuring: each scenario drives bounded loopback traffic and fills Measurements.

    await idle(target, nowork_pids, m, seconds=20)
    await calm_orders(client, target, m, count=50)

Scenarios that need process control (CPU, stopping processes) note why they were skipped
when the target is URL-only. Sleeps here are measuring windows, never synchronisation.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import httpx
from shop_testing.eventually import eventually

from shop_bench import load
from shop_bench.baselines.raw_producer import raw_producer_rate, raw_round_trips
from shop_bench.cpu import CpuMeter, NamedCpuMeter, cpu_seconds, cpu_seconds_by_name
from shop_bench.measurements import Measurements
from shop_bench.orders import LagWatch, wait_completed
from shop_bench.target import SKU, Target, delta, route_mean, scrape

CONTROL = "needs control of the stack's processes (embedded stack)"


async def idle(target: Target, nowork_pids: Sequence[int], m: Measurements, seconds: float) -> None:
    stack, chain = NamedCpuMeter(target.named_pids), CpuMeter(lambda: nowork_pids)
    before, chain_before = stack.sample(), chain.sample()
    started = time.perf_counter()
    await asyncio.sleep(seconds)
    wall = time.perf_counter() - started
    m.nowork_idle_cpu_pct = 100 * cpu_seconds(chain_before, chain.sample()) / wall
    if target.controlled:
        by_name = cpu_seconds_by_name(before, stack.sample())
        m.idle_cpu_by_process_pct = {name: 100 * s / wall for name, s in by_name.items()}
        m.idle_cpu_pct = sum(m.idle_cpu_by_process_pct.values())
    else:
        m.notes["C2"] = CONTROL


async def nowork(
    client: httpx.AsyncClient, front: str, pids: Sequence[int], m: Measurements, count: int,
    concurrency: int, seconds_at_50: float,
) -> None:  # fmt: skip
    send = load.checkout_sender(client, front, SKU)
    meter = CpuMeter(lambda: pids)
    before = meter.sample()
    answers, wall = await load.closed_loop(send, count, concurrency)
    ok = len(load.latencies(answers))
    m.nowork_cpu_per_request_s = cpu_seconds(before, meter.sample()) / max(ok, 1)
    m.nowork_throughput = ok / wall
    answers, _ = await load.open_loop(send, 50, seconds_at_50)
    m.nowork_at_50 = load.latencies(answers)


async def calm_orders(
    client: httpx.AsyncClient, target: Target, m: Measurements, count: int, per_second: float
) -> None:
    """C1 and P3: orders at a low rate, CPU until every one is COMPLETED, and the critical
    path from the dependencies' server-side timings in the same window."""
    deps = ("checkout", "pricing", "inventory", "payment")
    meter = NamedCpuMeter(target.named_pids)
    scrapes = [await scrape(client, target.url(s)) for s in deps]
    before = meter.sample()
    answers, _ = await load.open_loop(
        load.checkout_sender(client, target.url("checkout"), SKU), per_second, count / per_second
    )
    after_scrapes = [await scrape(client, target.url(s)) for s in deps]
    ids = [a.order_id for a in answers if a.order_id]
    seen = await wait_completed(client, target.url("checkout"), ids, within=90)
    spent = cpu_seconds_by_name(before, meter.sample())
    done = sum(1 for s in seen.values() if s == "COMPLETED")
    m.calm_checkouts = load.latencies(answers)
    if target.controlled and done:
        m.cpu_per_order_by_process_s = {name: s / done for name, s in spent.items()}
        m.cpu_per_order_s = sum(m.cpu_per_order_by_process_s.values())
        m.notes["C1"] = (
            f"{done} of {len(answers)} checkouts at {per_second:g}/s COMPLETED (answers "
            f"{load.statuses(answers)}); the CPU of all of them and the idle burn is included"
        )
    elif not target.controlled:
        m.notes["C1"] = CONTROL
    quote = route_mean(scrapes[1], after_scrapes[1], "/v1/quotes")
    reserve = route_mean(scrapes[2], after_scrapes[2], "/v1/reservations")
    authorize = route_mean(scrapes[3], after_scrapes[3], "/v1/authorizations")
    if quote is not None and reserve is not None and authorize is not None:
        m.critical_path_s = max(quote, reserve) + authorize
        m.notes["P3"] = (
            f"server-side means (http_request_duration_seconds _sum/_count): quote "
            f"{quote * 1000:.1f} ms, reserve {reserve * 1000:.1f} ms, authorize "
            f"{authorize * 1000:.1f} ms; checkout's own store is not exposed, so not included"
        )


async def at_50(client: httpx.AsyncClient, target: Target, m: Measurements, seconds: float) -> None:
    """checkout p99 at 50/s open loop, and (P5) the notification lag of those orders."""
    send = load.checkout_sender(client, target.url("checkout"), SKU)
    async with LagWatch(target.deployment.kafka_bootstrap_servers) as watch:
        answers, _ = await load.open_loop(send, 50, seconds)
        accepted = load.latencies(answers)
        await watch.settle(len(accepted), within=60)
        m.notify_lags = watch.lags()
    m.at_50, m.at_50_answers = accepted, len(answers)
    m.notes["L50"] = f"answers {load.statuses(answers)}"
    m.notes["P5"] = f"{len(m.notify_lags)} of {len(accepted)} confirmed orders notified in time"
    m.raw_round_trips = await raw_round_trips(
        target.deployment.kafka_bootstrap_servers, per_second=50, count=int(50 * seconds)
    )


async def capacity(
    client: httpx.AsyncClient, target: Target, m: Measurements, count: int, concurrency: int
) -> None:
    send = load.checkout_sender(client, target.url("checkout"), SKU)
    answers, wall = await load.closed_loop(send, count, concurrency)
    ids = [a.order_id for a in answers if a.order_id]
    m.throughput = len(ids) / wall
    seen = await wait_completed(client, target.url("checkout"), ids, within=120)
    m.completed_share = sum(1 for s in seen.values() if s == "COMPLETED") / max(len(ids), 1)
    m.notes["C3"] = f"concurrency {concurrency}, answers {load.statuses(answers)}"


async def overload(
    client: httpx.AsyncClient, target: Target, m: Measurements, seconds: float
) -> None:
    offered = 2 * max(m.throughput or 10.0, 1.0)
    before = await scrape(client, target.url("checkout"))
    send = load.checkout_sender(client, target.url("checkout"), SKU)
    answers, _ = await load.open_loop(send, offered, seconds)
    after = await scrape(client, target.url("checkout"))
    m.overload_accepted = load.latencies(answers)
    rejected = [a for a in answers if a.status != 201]
    m.overload_rejected = len(rejected)
    m.overload_shed_with_retry_after = sum(1 for a in rejected if a.status == 503 and a.retry_after)
    m.overload_breaker_opens = delta(before, after, "dependency_breaker_transitions_total",
                                     to_state="open")  # fmt: skip
    m.notes["C3o"] = f"offered {offered:.0f}/s for {seconds:g} s; answers {load.statuses(answers)}"


async def recovered(client: httpx.AsyncClient, target: Target, within: float = 60) -> None:
    """Wait until every breaker of checkout is closed and a checkout succeeds again."""
    send = load.checkout_sender(client, target.url("checkout"), SKU)

    async def healthy() -> bool:
        # A checkout first: a half-open breaker closes only when a call goes through it.
        assert (await send()).status == 201
        states = await target.breakers(client)
        assert all(s == "closed" for s in states.values()), states
        return True

    ready: bool = await eventually(healthy, timeout=within, interval=0.5)
    assert ready


async def degraded_p1(
    client: httpx.AsyncClient, target: Target, sync_url: str, m: Measurements, count: int
) -> None:
    """P1: p99 healthy, then with fulfillment 2 s slower and communications stopped."""
    ours = load.checkout_sender(client, target.url("checkout"), SKU)
    sync = load.checkout_sender(client, sync_url, SKU)

    async def both() -> tuple[list[float], list[float]]:
        mine, _ = await load.closed_loop(ours, count, 4)
        theirs, _ = await load.closed_loop(sync, count, 4)
        # The synchronous app's answers that placed an order and then coordinated (201, or
        # 502 when a downstream call failed); an early checkout failure coordinated nothing.
        return load.latencies(mine), [a.seconds for a in theirs if a.status in (201, 502)]

    m.p1_healthy, m.sync_healthy = await both()
    await target.faults(client, "fulfillment", latency_ms=2000)
    control = target.deployment.control
    try:
        if control is not None:
            control.stop("communications-serve")
            control.stop("communications-work")
        else:
            m.notes["P1"] = "communications not stopped: " + CONTROL
        m.p1_degraded, m.sync_degraded = await both()
    finally:
        await target.faults(client, "fulfillment")
        if control is not None:
            await control.start("communications-serve")
            await control.start("communications-work")


async def breaker_open(
    client: httpx.AsyncClient, target: Target, m: Measurements, count: int
) -> None:
    """P2: payment refuses; once checkout's payment breaker is open, its 503s."""
    send = load.checkout_sender(client, target.url("checkout"), SKU)
    await target.faults(client, "payment", refuse=True)
    try:
        for _ in range(50):  # bounded: trip the breaker
            await send()
            if (await target.breakers(client)).get("breaker_payment") == "open":
                break
        answers, _ = await load.closed_loop(send, count, 8)
        m.breaker_open_c8 = load.latencies(answers, status=503)
        answers, _ = await load.closed_loop(send, max(count // 4, 5), 1)
        m.breaker_open_c1 = load.latencies(answers, status=503)
    finally:
        await target.faults(client, "payment")


async def relay(client: httpx.AsyncClient, target: Target, m: Measurements, count: int) -> None:
    """P6: OrderConfirmed piled up in the outbox while checkout-work is stopped, then
    published on restart, timed by checkout-work's own counter."""
    control = target.deployment.control
    m.raw_producer_rate = await raw_producer_rate(
        target.deployment.kafka_bootstrap_servers, count=max(count * 10, 1000)
    )
    if control is None:
        m.notes["P6"] = CONTROL
        return
    control.stop("checkout-work")
    try:
        send = load.checkout_sender(client, target.url("checkout"), SKU)
        answers, _ = await load.closed_loop(send, count, 8)
        waiting = len(load.latencies(answers))
    finally:
        restarted_at = time.perf_counter()
        restart = asyncio.create_task(control.start("checkout-work"))
    metrics = target.worker_url("checkout")
    first: float | None = None
    at_first = 0.0
    last: float | None = None
    deadline = time.perf_counter() + 120
    while time.perf_counter() < deadline:
        published = await _published(client, metrics)
        now = time.perf_counter()
        if published and first is None:
            first, at_first = now, published
        if published >= waiting:
            last = now
            break
        await asyncio.sleep(0.005)
    await restart
    if first is not None and last is not None and waiting - at_first < 2:
        # All were out by the first answer of /metrics: only a lower bound is known.
        m.relay_rate = waiting / (last - restarted_at)
        m.notes["P6"] = (
            f"{waiting} OrderConfirmed, all out before the first /metrics answer: "
            "a lower bound, from the restart of checkout-work (start included)"
        )
    elif first is not None and last is not None:
        m.relay_rate = (waiting - at_first) / max(last - first, 0.005)
        m.notes["P6"] = (f"{waiting} OrderConfirmed; {waiting - at_first:.0f} timed from the first "
                         f"published one (/metrics polled every 5 ms)")  # fmt: skip
    else:
        m.notes["P6"] = f"not all {waiting} OrderConfirmed were published within 120 s"


async def _published(client: httpx.AsyncClient, metrics: str) -> float:
    try:
        text = (await client.get(f"{metrics}/metrics")).text
    except httpx.HTTPError:
        return 0.0  # not up yet
    for line in text.splitlines():
        if line.startswith('shop_outbox_events_published_total{topic="checkout.orders"}'):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def reconcile(repo: Path, m: Measurements, orders: int) -> None:
    """P7: services/reconciliation/bench/bench_reconcile.py for one size, in its own process
    (it measures its own peak RSS and needs no stack)."""
    script = repo / "services" / "reconciliation" / "bench" / "bench_reconcile.py"
    out = subprocess.run(
        [sys.executable, str(script), "--one", str(orders)],
        capture_output=True, text=True, timeout=600, check=True,
    )  # fmt: skip
    row = json.loads(out.stdout.strip().splitlines()[-1])
    m.reconcile_orders = int(row["orders"])
    m.reconcile_seconds = float(row["seconds"])
    m.reconcile_read_seconds = float(row["read_seconds"])
    m.reconcile_peak_rss_mb = float(row["peak_rss_mb"])
    m.notes["P7"] = f"{row['pages']} pages, {row['findings']} findings; the 1M run is not made"

"""One bench run: start (or find) the stack, start the baselines, run every scenario,
print the table, write bench/results.json and bench/results.png.

    python -m shop_bench [--quick] [--profile] [--out bench]
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
from shop_e2e.deployment import describe_target

from shop_bench import profile, scenarios
from shop_bench.baselines.nowork import no_work_chain
from shop_bench.baselines.sync_coordination import sync_coordination
from shop_bench.machine import describe_machine, load_average, versions
from shop_bench.measurements import Measurements, build_figures, distributions
from shop_bench.plot import draw
from shop_bench.report import results_document, table, write_results
from shop_bench.stack import bench_deployment
from shop_bench.target import Target

REPO = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class Sizes:
    idle_seconds: float
    nowork_requests: int
    calm_orders: int
    seconds_at_50: float
    capacity_checkouts: int
    overload_seconds: float
    p1_checkouts: int
    breaker_probes: int
    relay_orders: int
    reconcile_orders: int
    profile_seconds: int


FULL = Sizes(20, 600, 50, 10, 300, 5, 40, 200, 200, 100_000, 15)
QUICK = Sizes(3, 100, 10, 2, 60, 2, 12, 40, 40, 10_000, 5)
CONCURRENCY = 16
STARTUP_SECONDS = 900.0  # 17 processes on a loaded 2-core machine


def say(line: str) -> None:
    print(f"bench: {line}", flush=True)


async def measure(target: Target, sizes: Sizes, m: Measurements, profile_to: Path | None) -> None:
    limits = httpx.Limits(max_connections=256, max_keepalive_connections=64)
    async with httpx.AsyncClient(timeout=10, limits=limits, auth=target.auth) as client:
        await target.stock_up(client, 100_000)
        with no_work_chain() as (front, pids):
            say(f"idle CPU for {sizes.idle_seconds:g} s (stack and no-work chain)")
            await scenarios.idle(target, pids, m, sizes.idle_seconds)
            say("no-work chain: throughput, CPU per request, p99 at 50/s")
            await scenarios.nowork(
                client, front, pids, m, sizes.nowork_requests, CONCURRENCY, sizes.seconds_at_50
            )
        steps: list[tuple[str, Callable[[], Awaitable[None]]]] = [
            (
                f"C1, P3: {sizes.calm_orders} orders at 5/s until COMPLETED",
                lambda: scenarios.calm_orders(client, target, m, sizes.calm_orders, 5),
            ),
            (
                f"L50, P5: 50 checkouts/s for {sizes.seconds_at_50:g} s and the notification lag",
                lambda: scenarios.at_50(client, target, m, sizes.seconds_at_50),
            ),
            (
                f"C3, P4: {sizes.capacity_checkouts} checkouts at concurrency {CONCURRENCY}",
                lambda: capacity_and_profile(client, target, sizes, m, profile_to),
            ),
            (
                f"C3o: overload at twice the capacity for {sizes.overload_seconds:g} s",
                lambda: scenarios.overload(client, target, m, sizes.overload_seconds),
            ),
            (
                "P1: fulfillment +2 s and communications down, ours and the synchronous app",
                lambda: degraded(client, target, m, sizes.p1_checkouts),
            ),
            (
                "P2: payment refuses; breaker-open answers",
                lambda: scenarios.breaker_open(client, target, m, sizes.breaker_probes),
            ),
            (
                f"P6: relay of {sizes.relay_orders} piled-up events vs a raw producer",
                lambda: scenarios.relay(client, target, m, sizes.relay_orders),
            ),
        ]
        for title, step in steps:
            say(title)
            try:
                await step()
            except Exception as exc:  # one failed scenario must not lose the others
                say(f"FAILED: {type(exc).__name__}: {exc}")
                m.notes.setdefault(title.split(":")[0].split(",")[0], f"failed: {exc!r}"[:200])
            try:
                await scenarios.recovered(client, target, within=120)
            except AssertionError as exc:
                say(f"the stack did not recover: {exc}")


async def capacity_and_profile(
    client: httpx.AsyncClient, target: Target, sizes: Sizes, m: Measurements, to: Path | None
) -> None:
    pid = target.pid("checkout-serve")
    run = scenarios.capacity(client, target, m, sizes.capacity_checkouts, CONCURRENCY)
    if to is None or pid is None:
        await run
        return
    recorded = asyncio.create_task(profile.record(pid, sizes.profile_seconds))
    await run
    heading = (
        f"py-spy of checkout-serve (pid {pid}) under closed-loop checkout load at concurrency "
        f"{CONCURRENCY}, {sizes.profile_seconds} s at 100 Hz; machine load average "
        f"{load_average()} at the end (a shared, busy 2-core machine)"
    )
    summary = profile.summarise(await recorded, heading)
    await asyncio.to_thread(to.write_text, summary)
    say(f"profile summary written to {to}")


async def degraded(client: httpx.AsyncClient, target: Target, m: Measurements, count: int) -> None:
    with sync_coordination(target.deployment.urls) as sync_url:
        await scenarios.degraded_p1(client, target, sync_url, m, count)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m shop_bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a smoke run, small sizes")
    parser.add_argument("--profile", action="store_true",
                        help="py-spy checkout-serve under load into <out>/profiles/")  # fmt: skip
    parser.add_argument("--profile-name", default="checkout-serve-after",
                        help="its file name in <out>/profiles/, without .txt")  # fmt: skip
    parser.add_argument("--traces", action="store_true",
                        help="every process exports its spans, as the e2e stack does")  # fmt: skip
    parser.add_argument("--out", type=Path, default=REPO / "bench")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    mode = "quick" if args.quick else "full"
    machine = describe_machine()
    say(f"{mode} run on {machine['cores']} cores ({machine['cpu_model']}), "
        f"load average at start {machine['load_average_at_start']}, "
        f"spans {'exported' if args.traces else 'not recorded'}")  # fmt: skip
    m = Measurements()
    started = time.monotonic()
    profile_to = args.out / "profiles" / f"{args.profile_name}.txt" if args.profile else None
    if profile_to is not None:
        profile_to.parent.mkdir(parents=True, exist_ok=True)
    with bench_deployment(STARTUP_SECONDS, export_traces=args.traces) as deployment:
        asyncio.run(measure(Target(deployment), sizes, m, profile_to))
    say(f"P7: reconciliation over {sizes.reconcile_orders:,} orders")
    try:
        scenarios.reconcile(REPO, m, sizes.reconcile_orders)
    except (subprocess.SubprocessError, ValueError, KeyError) as exc:
        m.notes["P7"] = f"failed: {exc!r}"[:200]
    figures = build_figures(m)
    print()
    print(table(figures))
    doc = results_document(
        figures,
        machine,
        versions(),
        distributions(m),
        mode=mode,
        target=describe_target(),
        load_average_at_end=load_average(),
    )
    doc["traces_exported"] = args.traces
    args.out.mkdir(parents=True, exist_ok=True)
    write_results(args.out / "results.json", doc)
    title = (f"{mode} run, {machine['cores']} cores, load average at start "
             f"{machine['load_average_at_start']} (a shared, busy machine)")  # fmt: skip
    draw(args.out / "results.png", figures, distributions(m), title)
    say(f"wrote {args.out / 'results.json'} and {args.out / 'results.png'} "
        f"in {time.monotonic() - started:.0f} s")  # fmt: skip

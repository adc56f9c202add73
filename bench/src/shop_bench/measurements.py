"""What a run measured, and the figures of issue 11 computed from it (pure).

    figures = build_figures(Measurements(idle_cpu_pct=9.8, nowork_idle_cpu_pct=0.4, ...))

Every field is optional: a scenario that could not run (a URL-only target cannot stop
processes) leaves its fields None and its figures read "n/a". Latencies are seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shop_bench.figures import Figure, Goal
from shop_bench.stats import ms, percentile


@dataclass
class Measurements:
    # C2: idle CPU, % of one core, the stack and the no-work chain in the same window.
    idle_cpu_pct: float | None = None
    nowork_idle_cpu_pct: float | None = None
    idle_cpu_by_process_pct: dict[str, float] = field(default_factory=dict)
    # C1: CPU seconds per completed order, and per no-work-chain request.
    cpu_per_order_s: float | None = None
    cpu_per_order_by_process_s: dict[str, float] = field(default_factory=dict)
    nowork_cpu_per_request_s: float | None = None
    # C3 / P4: closed-loop throughput (accepted/s), the share of those orders COMPLETED.
    throughput: float | None = None
    nowork_throughput: float | None = None
    completed_share: float | None = None
    # C3 at twice the measured capacity, open loop.
    overload_accepted: list[float] = field(default_factory=list)
    overload_rejected: int = 0
    overload_shed_with_retry_after: int = 0
    overload_breaker_opens: float | None = None
    # 50/s open loop: accepted latencies, all answers, and the no-work chain at 50/s.
    at_50: list[float] = field(default_factory=list)
    at_50_answers: int = 0
    nowork_at_50: list[float] = field(default_factory=list)
    # P1: p99 healthy and degraded, for checkout and for the synchronous baseline.
    p1_healthy: list[float] = field(default_factory=list)
    p1_degraded: list[float] = field(default_factory=list)
    sync_healthy: list[float] = field(default_factory=list)
    sync_degraded: list[float] = field(default_factory=list)
    # P2: breaker-open answers at concurrency 8, and one at a time.
    breaker_open_c8: list[float] = field(default_factory=list)
    breaker_open_c1: list[float] = field(default_factory=list)
    # P3: client-side checkout latencies at low load, and the critical path from
    # server-side means of quote, reserve and authorize in the same window.
    calm_checkouts: list[float] = field(default_factory=list)
    critical_path_s: float | None = None
    # P5: OrderConfirmed -> CustomerNotified at 50/s; raw produce -> consume on the broker.
    notify_lags: list[float] = field(default_factory=list)
    raw_round_trips: list[float] = field(default_factory=list)
    # P6: relay events/s and the raw producer's records/s.
    relay_rate: float | None = None
    raw_producer_rate: float | None = None
    # P7: one reconciliation run (bench_reconcile's figures).
    reconcile_orders: int | None = None
    reconcile_seconds: float | None = None
    reconcile_read_seconds: float | None = None
    reconcile_peak_rss_mb: float | None = None
    notes: dict[str, str] = field(default_factory=dict)


def _p(values: list[float], pct: float) -> float | None:
    return ms(percentile(values, pct))


def _ratio(top: float | None, bottom: float | None) -> float | None:
    return top / bottom if top is not None and bottom else None


def _scaled(by_process: dict[str, float], factor: float) -> dict[str, float]:
    return {name: round(value * factor, 2) for name, value in by_process.items()}


def _with_top(note: str, by_process: dict[str, float], factor: float, unit: str) -> str:
    """The note, then the five processes that took the most ("where: postgres 61 ms, ...")."""
    if not by_process:
        return note
    top = sorted(by_process.items(), key=lambda item: -item[1])[:5]
    where = "where: " + ", ".join(f"{name} {value * factor:.3g} {unit}" for name, value in top)
    return f"{note}; {where}" if note else where


def build_figures(m: Measurements) -> list[Figure]:
    shed_share = (
        m.overload_shed_with_retry_after / m.overload_rejected if m.overload_rejected else None
    )
    note = m.notes.get
    return [
        Figure("C1", "CPU per completed order, all processes", ms(m.cpu_per_order_s),
               ms(m.nowork_cpu_per_request_s), "ms", (Goal("value", "<=", 25),),
               "no-work chain, CPU per request (4 processes)",
               _with_top(note("C1", ""), m.cpu_per_order_by_process_s, 1000, "ms"),
               {"by_process_ms": _scaled(m.cpu_per_order_by_process_s, 1000)}),
        Figure("C2", "idle stack CPU", m.idle_cpu_pct, m.nowork_idle_cpu_pct, "% core",
               (Goal("value", "<=", 5),), "no-work chain idle, same window",
               _with_top(note("C2", ""), m.idle_cpu_by_process_pct, 1, "%"),
               {"by_process_pct": _scaled(m.idle_cpu_by_process_pct, 1)}),
        Figure("C3", "sustained checkouts/s (closed loop)", m.throughput, m.nowork_throughput,
               "/s", (Goal("value", ">=", 80),), "no-work chain, same concurrency",
               note("C3", "")),
        Figure("C3c", "share of those orders COMPLETED", m.completed_share, None, "",
               (Goal("value", ">=", 1.0),)),
        Figure("C3o", "accepted p99 at 2x capacity (open loop)", _p(m.overload_accepted, 99),
               None, "ms", (Goal("value", "<=", 500),), note=note("C3o", "")),
        Figure("C3s", "excess answered 503 + Retry-After (share)", shed_share, None, "",
               (Goal("value", ">=", 1.0),)),
        Figure("C3b", "breaker openings during overload", m.overload_breaker_opens, None, "",
               (Goal("value", "<=", 0),)),
        Figure("L50", "checkout p99 at 50/s open loop", _p(m.at_50, 99), _p(m.nowork_at_50, 99),
               "ms", (Goal("value", "<=", 150),), "no-work chain p99 at 50/s",
               note("L50", "")),
        Figure("P1", "p99 degraded / healthy (fulfillment +2 s, communications down)",
               _ratio(percentile(m.p1_degraded, 99), percentile(m.p1_healthy, 99)),
               _ratio(percentile(m.sync_degraded, 99), percentile(m.sync_healthy, 99)), "x",
               (Goal("value", "<=", 1.1), Goal("baseline", ">=", 20)),
               "synchronous checkout -> fulfillment -> communications app", note("P1", "")),
        Figure("P2", "breaker-open answers p99 at concurrency 8", _p(m.breaker_open_c8, 99),
               _p(m.breaker_open_c1, 99), "ms", (Goal("value", "<=", 20),),
               "the same answers one at a time", note("P2", "")),
        Figure("P3", "checkout p50 at low load vs its critical path", _p(m.calm_checkouts, 50),
               ms(m.critical_path_s), "ms", (Goal("ratio", "<=", 1.2),),
               "max(quote, reserve) + authorize, server-side means", note("P3", "")),
        Figure("P4", "checkout throughput vs no-work chain", m.throughput, m.nowork_throughput,
               "/s", (Goal("ratio", ">=", 0.4),), "no-work chain, same concurrency"),
        Figure("P5", "OrderConfirmed -> CustomerNotified p99 at 50/s", _p(m.notify_lags, 99),
               _p(m.raw_round_trips, 99), "ms", (Goal("value", "<=", 250),),
               "raw produce -> consume on the same broker at 50/s", note("P5", "")),
        Figure("P6", "outbox relay events/s vs raw producer", m.relay_rate, m.raw_producer_rate,
               "/s", (Goal("ratio", ">=", 0.5),), "raw aiokafka producer, acks=all",
               note("P6", "")),
        Figure("P7", f"reconciliation of {m.reconcile_orders or 0:,} orders",
               m.reconcile_seconds, m.reconcile_read_seconds, "s", (Goal("value", "<=", 20),),
               "the same run's reading (fetch + parse) alone", note("P7", "")),
        Figure("P7m", "reconciliation peak RSS", m.reconcile_peak_rss_mb, None, "MB",
               (Goal("value", "<=", 200),)),
    ]  # fmt: skip


def distributions(m: Measurements) -> dict[str, list[float]]:
    """The latency samples worth drawing, in milliseconds."""
    named = {
        "checkout at 50/s": m.at_50,
        "no-work chain at 50/s": m.nowork_at_50,
        "checkout at 2x capacity (accepted)": m.overload_accepted,
        "checkout, low load": m.calm_checkouts,
        "checkout, fulfillment slow + comms down": m.p1_degraded,
        "sync baseline, degraded": m.sync_degraded,
        "breaker open, concurrency 8": m.breaker_open_c8,
        "OrderConfirmed -> CustomerNotified": m.notify_lags,
        "raw produce -> consume": m.raw_round_trips,
    }
    return {name: [v * 1000 for v in values] for name, values in named.items() if values}

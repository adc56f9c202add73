"""Synthetic measurements: plausible figures of a shop far from its goals."""

import pytest
from shop_bench.measurements import Measurements


@pytest.fixture
def synthetic() -> Measurements:
    return Measurements(
        idle_cpu_pct=10.0,
        nowork_idle_cpu_pct=0.5,
        cpu_per_order_s=0.2,
        nowork_cpu_per_request_s=0.004,
        throughput=20.0,
        nowork_throughput=400.0,
        completed_share=1.0,
        overload_accepted=[0.1] * 50 + [0.9] * 2,
        overload_rejected=10,
        overload_shed_with_retry_after=4,
        overload_breaker_opens=1.0,
        at_50=[0.05] * 99 + [2.0],
        nowork_at_50=[0.004] * 100,
        p1_healthy=[0.05] * 20,
        p1_degraded=[0.05] * 20,
        sync_healthy=[0.06] * 20,
        sync_degraded=[2.1] * 20,
        breaker_open_c8=[0.1] * 10,
        breaker_open_c1=[0.006] * 10,
        calm_checkouts=[0.06] * 10,
        critical_path_s=0.04,
        notify_lags=[0.3] * 10,
        raw_round_trips=[0.01] * 10,
        relay_rate=300.0,
        raw_producer_rate=3000.0,
        reconcile_orders=100_000,
        reconcile_seconds=25.0,
        reconcile_read_seconds=10.0,
        reconcile_peak_rss_mb=150.0,
    )

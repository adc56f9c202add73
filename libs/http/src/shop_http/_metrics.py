"""Prometheus metrics of every dependency call and breaker, on the app's own registry."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

STATES = ("closed", "half-open", "open")


class DependencyMetrics:
    """Created once per registry and shared by every `Dependency` of the process.

    metrics = DependencyMetrics(registry)
    """

    def __init__(self, registry: CollectorRegistry) -> None:
        self.breaker_state = Gauge(
            "dependency_breaker_state",
            "1 for the breaker's current state, 0 for the others",
            ["dependency", "state"],
            registry=registry,
        )
        self.transitions = Counter(
            "dependency_breaker_transitions_total",
            "Breaker state changes",
            ["dependency", "from_state", "to_state"],
            registry=registry,
        )
        self.calls = Counter(
            "dependency_calls_total",
            "Attempts to call a dependency, by outcome",
            ["dependency", "outcome"],
            registry=registry,
        )

        self.duration = Histogram(
            "dependency_request_duration_seconds",
            "Time of one attempt to call a dependency (breaker rejections excluded), by outcome",
            ["dependency", "outcome"],
            registry=registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5),
        )

    def show_state(self, dependency: str, state: str) -> None:
        for candidate in STATES:
            self.breaker_state.labels(dependency, candidate).set(1 if candidate == state else 0)

"""What a run did, for the summary at its end: orders placed, and per fault scenario what
was injected and what was measured.

    REPORT.order_placed(order_id)                       # Shop does this on every 201
    scenario = REPORT.scenario("test_breaker_opens")    # the `report` fixture does this
    scenario.injected("payment refuses every request (PUT /admin/faults refuse)")
    scenario.measured("breaker-open answers p99", 12.5, "ms")
    print("\\n".join(REPORT.lines(outcomes)))

One process-wide instance (`REPORT`): the suite runs in one pytest process.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field


def percentile(values: Sequence[float], pct: float) -> float:
    """The nearest-rank percentile: percentile([...], 99) is the p99."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Scenario:
    name: str
    injections: list[str] = field(default_factory=list)
    measurements: list[str] = field(default_factory=list)

    def injected(self, what: str) -> None:
        self.injections.append(what)

    def measured(self, what: str, value: float | int | str, unit: str = "") -> None:
        shown = f"{value:.1f}" if isinstance(value, float) else str(value)
        self.measurements.append(f"{what}: {shown}{' ' + unit if unit else ''}")


@dataclass
class RunReport:
    target: str = "not started"
    orders: set[str] = field(default_factory=set)
    scenarios: dict[str, Scenario] = field(default_factory=dict)

    def order_placed(self, order_id: str) -> None:
        self.orders.add(order_id)

    def scenario(self, name: str) -> Scenario:
        return self.scenarios.setdefault(name, Scenario(name))

    def lines(self, outcomes: Mapping[str, Iterable[str]]) -> list[str]:
        """The summary: `outcomes` maps an outcome ("passed", "failed"...) to test ids."""
        counts = {outcome: len(list(ids)) for outcome, ids in outcomes.items()}
        shown = ", ".join(f"{n} {outcome}" for outcome, n in counts.items() if n) or "none"
        lines = [
            f"target: {self.target}",
            f"scenarios: {shown}",
            f"orders placed (201 from checkout): {len(self.orders)}",
        ]
        for scenario in self.scenarios.values():
            if not (scenario.injections or scenario.measurements):
                continue
            lines.append(f"- {scenario.name}")
            lines.extend(f"    injected: {what}" for what in scenario.injections)
            lines.extend(f"    measured: {what}" for what in scenario.measurements)
        return lines


REPORT = RunReport()

"""The figures of issue 11: a value, its baseline from the same run, and the goal.

    Figure("P4", "checkout throughput / no-work chain", value=20.0, baseline=400.0,
           unit="/s", goals=(Goal("ratio", ">=", 0.4),)).met        # -> False

A figure is `met` when every goal holds, and None when a side it needs was not measured
(a URL-only target cannot stop processes, so some figures stay empty there).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

On = Literal["value", "baseline", "ratio"]
Op = Literal["<=", ">="]


@dataclass(frozen=True)
class Goal:
    on: On
    op: Op
    limit: float

    def holds(self, figure: Figure) -> bool | None:
        measured = {"value": figure.value, "baseline": figure.baseline, "ratio": figure.ratio}
        got = measured[self.on]
        if got is None:
            return None
        return got <= self.limit if self.op == "<=" else got >= self.limit

    def describe(self) -> str:
        return f"{self.on} {self.op} {self.limit:g}"


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    value: float | None
    baseline: float | None
    unit: str
    goals: tuple[Goal, ...]
    baseline_name: str = ""
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.value is None or self.baseline is None or self.baseline == 0:
            return None
        return self.value / self.baseline

    @property
    def met(self) -> bool | None:
        verdicts = [goal.holds(self) for goal in self.goals]
        if any(v is None for v in verdicts):
            return None
        return all(verdicts)

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "unit": self.unit,
            "value": self.value,
            "baseline": self.baseline,
            "baseline_name": self.baseline_name,
            "ratio": self.ratio,
            "goal": "; ".join(goal.describe() for goal in self.goals),
            "met": self.met,
            "note": self.note,
            "extra": self.extra,
        }

"""One time budget for one business moment (a checkout), shared by every call it makes."""

from __future__ import annotations

import time
from collections.abc import Callable

BUDGET_HEADER = "X-Budget-Remaining-Ms"


class Budget:
    """A monotonic deadline.

        budget = Budget(2.0)                  # two seconds from now
        budget.remaining()                    # -> 1.87 (seconds, never negative)
        budget.timeout_for(1.0)               # -> min(1.0, remaining)
        budget.header()                       # -> {"X-Budget-Remaining-Ms": "1870"}

    Monotonic time, never the wall clock: a clock step must not grant or steal time.
    """

    def __init__(self, seconds: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.total = seconds
        self.deadline = clock() + seconds

    def remaining(self) -> float:
        return max(0.0, self.deadline - self._clock())

    @property
    def expired(self) -> bool:
        return self.remaining() <= 0.0

    def timeout_for(self, limit: float | None) -> float:
        """The time one call may take: its own limit, cut to what the budget has left."""
        remaining = self.remaining()
        return remaining if limit is None else min(limit, remaining)

    def header(self) -> dict[str, str]:
        """What to tell the dependency, so it can give up early instead of working for nobody."""
        return {BUDGET_HEADER: str(int(self.remaining() * 1000))}

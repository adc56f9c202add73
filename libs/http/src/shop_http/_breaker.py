"""One circuit breaker per dependency: pybreaker's state machine, made safe for asyncio.

pybreaker 1.4 has no asyncio support (docs/architecture.md, "Known traps"). Three gaps are
closed here:

1. Half-open lets every concurrent caller through; here exactly one probe goes at a time
   and the others fail fast while it is in flight.
2. A cancelled call would be counted as a failure. Here the outcome is handed to
   pybreaker only once the await is over (`with breaker.calling(): ...` replays it), so a
   cancellation, which never gets there, is neither a failure nor a success.
3. Its Redis storage uses a blocking client; only memory storage is ever built here.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Awaitable, Callable
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import pybreaker

from ._errors import CircuitOpen
from ._metrics import DependencyMetrics

log = logging.getLogger("shop_http.breaker")

T = TypeVar("T")


class Failure(Exception):
    """Raised by a guarded call to say "count this against the dependency"."""


class _Recorded(Exception):
    """What replays a failure into pybreaker; never leaves this module."""


class _StateListener(pybreaker.CircuitBreakerListener):
    def __init__(self, name: str, metrics: DependencyMetrics) -> None:
        self.name = name
        self.metrics = metrics

    def state_change(self, cb: Any, old_state: Any, new_state: Any) -> None:
        old = old_state.name if old_state is not None else "none"
        log.warning(
            "circuit breaker %s: %s -> %s",
            self.name,
            old,
            new_state.name,
            extra={"dependency": self.name, "from_state": old, "to_state": new_state.name},
        )
        self.metrics.transitions.labels(self.name, old, new_state.name).inc()
        self.metrics.show_state(self.name, new_state.name)


class Breaker:
    """The breaker of one dependency.

        breaker = Breaker("payment", fail_max=5, reset_timeout=10.0, metrics=metrics)
        breaker.check()                             # raises CircuitOpen when no call may go
        result = await breaker.call(send)           # send raises Failure to count a failure

    `call` raises CircuitOpen without calling `send` while open, or while the one
    half-open probe is in flight.
    """

    def __init__(
        self, name: str, *, fail_max: int, reset_timeout: float, metrics: DependencyMetrics
    ) -> None:
        self.name = name
        self._storage = pybreaker.CircuitMemoryStorage(pybreaker.STATE_CLOSED)
        self._breaker = pybreaker.CircuitBreaker(
            fail_max=fail_max,
            reset_timeout=reset_timeout,
            state_storage=self._storage,
            listeners=[_StateListener(name, metrics)],
            name=name,
            throw_new_error_on_trip=False,
        )
        self._probing = False
        metrics.show_state(name, self.state)

    @property
    def state(self) -> str:
        """closed, open or half-open (an open breaker past its reset timeout is half-open)."""
        state: str = self._breaker.current_state
        if state == pybreaker.STATE_OPEN and self._open_remaining() <= 0:
            return pybreaker.STATE_HALF_OPEN
        return state

    @property
    def fail_counter(self) -> int:
        counter: int = self._breaker.fail_counter
        return counter

    def details(self) -> dict[str, object]:
        """For /health/ready: the state and the consecutive failures counted."""
        return {"state": self.state, "failures": self.fail_counter, "probing": self._probing}

    def check(self) -> None:
        """Raise CircuitOpen if a call made now would be refused."""
        if self.state == pybreaker.STATE_CLOSED:
            return
        if self.state == pybreaker.STATE_OPEN or self._probing:
            raise CircuitOpen(self.name, retry_after=max(1, math.ceil(self._open_remaining())))

    async def call(self, send: Callable[[], Awaitable[T]]) -> T:
        self.check()
        probe = self.state == pybreaker.STATE_HALF_OPEN
        if probe:
            self._probing = True  # no await since check(): nobody else slipped in
        try:
            try:
                result = await send()
            except Failure as failure:
                self._record(failure)
                raise
            self._record(None)
            return result
        finally:
            if probe:
                self._probing = False

    def _record(self, failure: Failure | None) -> None:
        # pybreaker's context manager is its bookkeeping: a block that raises counts one
        # failure (and may trip), one that returns counts a success (and closes a half-open
        # breaker). It may itself refuse (a concurrent call tripped it meanwhile): that
        # outcome then simply is not counted.
        with suppress(pybreaker.CircuitBreakerError, _Recorded), self._breaker.calling():
            if failure is not None:
                raise _Recorded(str(failure))

    def _open_remaining(self) -> float:
        opened_at: datetime | None = self._storage.opened_at
        if opened_at is None:
            return 0.0
        reopen = opened_at + timedelta(seconds=self._breaker.reset_timeout)
        return (reopen - datetime.now(UTC)).total_seconds()

"""Calls to one dependency under a budget, through its breaker, with bounded retries."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Mapping
from typing import Any

import httpx
from asgi_correlation_id import correlation_id

from ._breaker import Breaker, Failure
from ._budget import Budget
from ._errors import CircuitOpen, DependencyTimeout, DependencyUnavailable
from ._metrics import DependencyMetrics

CORRELATION_HEADER = "X-Correlation-Id"


class _AttemptError(Exception):
    def __init__(self, reason: str, outcome: str, *, budget_spent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.outcome = outcome
        self.budget_spent = budget_spent


class _AttemptFailed(_AttemptError, Failure):
    """The dependency's fault: the breaker counts it."""


class _BudgetSpent(_AttemptError):
    """A timeout the caller caused: the budget it brought was nearly spent before the call
    (upstream, or by earlier steps), so the dependency never had `fair_timeout` to answer.
    The breaker does not count it (neither failure nor success), or a slow caller would
    open the breaker of a healthy dependency for everybody."""


class Dependency:
    """A named downstream service.

        pricing = Dependency(
            "pricing", httpx.AsyncClient(base_url="http://127.0.0.1:8001"),
            fail_max=5, reset_timeout=10.0, retries=2, metrics=DependencyMetrics(registry),
        )
        budget = Budget(2.0)
        response = await pricing.request(
            "POST", "/v1/quotes", json=body, budget=budget, idempotent=True
        )
        if response.status_code == 404: ...   # 4xx: the caller's to interpret

    A timeout counts against the breaker only if the attempt had `fair_timeout` seconds
    (or its own `timeout`, if shorter) to answer; one cut shorter by a budget already spent
    before the call is the caller's, and is not counted.

    Returns any response below 500. Raises only `DependencyError`s (never httpx's):
    `DependencyTimeout` once the budget is spent, `DependencyUnavailable` (or its
    `CircuitOpen`) otherwise. Each attempt's timeout is min(`timeout`, budget left), enforced
    with `asyncio.timeout` over the whole exchange (httpx's own timeout bounds each phase
    only, so a server trickling bytes would outlive it). Only `idempotent` calls are
    retried, at most `retries` times, with jittered exponential backoff that never sleeps
    past the budget. Every attempt carries `X-Budget-Remaining-Ms` and, when one is in force
    (asgi-correlation-id's ContextVar), `X-Correlation-Id`.
    """

    def __init__(
        self,
        name: str,
        client: httpx.AsyncClient,
        *,
        fail_max: int,
        reset_timeout: float,
        retries: int,
        metrics: DependencyMetrics,
        backoff: float = 0.05,
        max_backoff: float = 0.5,
        fair_timeout: float = 0.1,
    ) -> None:
        self.name = name
        self.client = client
        self.breaker = Breaker(
            name, fail_max=fail_max, reset_timeout=reset_timeout, metrics=metrics
        )
        self.retries = retries
        self._metrics = metrics
        self._backoff = backoff
        self._max_backoff = max_backoff
        self.fair_timeout = fair_timeout

    async def request(
        self,
        method: str,
        path: str,
        *,
        budget: Budget,
        idempotent: bool,
        json: Any = None,
        timeout: float | None = None,  # noqa: ASYNC109  (a per-call limit, cut to the budget)
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        attempts = 1 + (self.retries if idempotent else 0)
        for attempt in range(attempts):
            try:
                return await self._attempt(method, path, budget, json, timeout, headers)
            except _AttemptError as failed:
                if failed.budget_spent:
                    raise DependencyTimeout(self.name) from None
                last_reason = failed.reason
            except CircuitOpen:
                self._metrics.calls.labels(self.name, "rejected").inc()
                raise
            if attempt + 1 < attempts and not await self._back_off(attempt, budget):
                break
        if budget.expired:
            raise DependencyTimeout(self.name)
        raise DependencyUnavailable(self.name, last_reason)

    async def _attempt(
        self,
        method: str,
        path: str,
        budget: Budget,
        json: Any,
        limit: float | None,
        headers: Mapping[str, str] | None,
    ) -> httpx.Response:
        if budget.expired:
            raise DependencyTimeout(self.name)

        async def send() -> httpx.Response:
            seconds = budget.timeout_for(limit)
            budget_bound = limit is None or seconds < limit
            try:
                async with asyncio.timeout(seconds):
                    response = await self.client.request(
                        method,
                        path,
                        json=json,
                        headers={**_correlation(), **(headers or {}), **budget.header()},
                        timeout=seconds,
                    )
                    await response.aread()
            except (TimeoutError, httpx.TimeoutException) as exc:
                reason = f"no answer within {seconds * 1000:.0f} ms"
                fair = (
                    limit if limit is not None and limit < self.fair_timeout else self.fair_timeout
                )
                if budget_bound and seconds < fair:
                    raise _BudgetSpent(reason, "budget_spent", budget_spent=True) from exc
                raise _AttemptFailed(reason, "timeout", budget_spent=budget_bound) from exc
            except httpx.HTTPError as exc:
                raise _AttemptFailed(f"{type(exc).__name__}: {exc}", "transport_error") from exc
            if response.status_code >= 500:
                raise _AttemptFailed(f"answered {response.status_code}", "server_error")
            return response

        started = time.perf_counter()
        try:
            response = await self.breaker.call(send)
        except _AttemptError as failed:
            self._count(failed.outcome, started)
            raise
        except asyncio.CancelledError:
            self._count("cancelled", started)
            raise
        self._count("success" if response.status_code < 400 else "client_error", started)
        return response

    def _count(self, outcome: str, started: float) -> None:
        self._metrics.calls.labels(self.name, outcome).inc()
        self._metrics.duration.labels(self.name, outcome).observe(time.perf_counter() - started)

    async def _back_off(self, attempt: int, budget: Budget) -> bool:
        """Sleep before the next attempt; False when the budget cannot afford it."""
        delay = random.uniform(0, min(self._max_backoff, self._backoff * 2**attempt))
        # A retry needs time to run after the pause, not just the pause itself.
        if delay >= budget.remaining():
            return False
        await asyncio.sleep(delay)
        return not budget.expired

    async def aclose(self) -> None:
        await self.client.aclose()


def _correlation() -> dict[str, str]:
    """The correlation id of the request or event being handled, forwarded downstream."""
    value = correlation_id.get()
    return {CORRELATION_HEADER: value} if value else {}

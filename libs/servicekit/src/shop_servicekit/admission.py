"""Admission control: shed excess requests early with 503 + Retry-After.

    limit = AdmissionLimit(max_in_flight=8, max_waiting=8, queue_timeout=0.2)
    app.add_middleware(
        AdmissionMiddleware, limit=limit, routes={("POST", "/v1/checkouts")},
        retry_after_s=1, metrics=AdmissionMetrics(registry),
    )

Why: offered more than it can serve, a service that admits everything queues everything,
every request's budget runs out in the queue, and its callers' breakers open on dependencies
that are healthy, only slow to be reached. Refusing the excess at the door keeps the
accepted requests fast and tells the rest when to come back.

A request runs at once when fewer than `max_in_flight` run; otherwise it waits in line, at
most `queue_timeout` seconds, and never behind more than `max_waiting` others. A request
that cannot get in is answered 503 `overloaded` with `Retry-After` before anything of it
runs. Only the listed routes are limited: health, metrics and reads always answer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection

from prometheus_client import CollectorRegistry, Counter, Gauge
from starlette.types import ASGIApp, Receive, Scope, Send

from shop_servicekit.problems import Problem, problem_response


class AdmissionLimit:
    """The limiter alone, free of HTTP: `try_enter` then `leave`, once each per request."""

    def __init__(self, *, max_in_flight: int, max_waiting: int, queue_timeout: float) -> None:
        if max_in_flight < 1 or max_waiting < 0 or queue_timeout < 0:
            raise ValueError("max_in_flight >= 1, max_waiting >= 0, queue_timeout >= 0")
        self.max_in_flight = max_in_flight
        self.max_waiting = max_waiting
        self.queue_timeout = queue_timeout
        self._slots = asyncio.Semaphore(max_in_flight)
        self.in_flight = 0
        self.waiting = 0

    async def try_enter(self) -> bool:
        """True once a slot is ours (then `leave` must follow); False: shed this request."""
        if not self._slots.locked():
            await self._slots.acquire()  # free: returns without yielding
        elif self.waiting >= self.max_waiting or self.queue_timeout == 0:
            return False
        else:
            self.waiting += 1
            try:
                # Semaphore.acquire is cancellation-safe: a slot handed over as the
                # timeout fires is passed on, never lost.
                async with asyncio.timeout(self.queue_timeout):
                    await self._slots.acquire()
            except TimeoutError:
                return False
            finally:
                self.waiting -= 1
        self.in_flight += 1
        return True

    def leave(self) -> None:
        self.in_flight -= 1
        self._slots.release()


class AdmissionMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.shed = Counter(
            "http_requests_shed_total",
            "Requests answered 503 overloaded by admission control",
            ["route"],
            registry=registry,
        )
        self.in_flight = Gauge(
            "http_admitted_in_flight", "Admitted requests running now", registry=registry
        )


class AdmissionMiddleware:
    """Applies one `AdmissionLimit` to the `routes` given as (method, exact path) pairs."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        limit: AdmissionLimit,
        routes: Collection[tuple[str, str]],
        retry_after_s: int,
        metrics: AdmissionMetrics,
    ) -> None:
        self.app = app
        self.limit = limit
        self.routes = frozenset(routes)
        self.retry_after = str(retry_after_s)
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (scope["method"], scope["path"]) not in self.routes:
            await self.app(scope, receive, send)
            return
        if not await self.limit.try_enter():
            self.metrics.shed.labels(scope["path"]).inc()
            problem = Problem(
                503,
                "overloaded",
                "Too many requests in progress",
                detail=f"Retry after {self.retry_after} s.",
                headers={"Retry-After": self.retry_after},
            )
            await problem_response(problem, scope["path"])(scope, receive, send)
            return
        self.metrics.in_flight.inc()
        try:
            await self.app(scope, receive, send)
        finally:
            self.metrics.in_flight.dec()
            self.limit.leave()

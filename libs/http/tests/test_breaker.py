"""The breaker's asyncio behaviour: fail fast when open, one probe, cancellation ignored."""

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from prometheus_client import CollectorRegistry
from shop_http import Budget, CircuitOpen, Dependency, DependencyTimeout, DependencyUnavailable


def failing(calls: list[httpx.Request]) -> Callable[[httpx.Request], httpx.Response]:
    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(503)

    return handle


def expire_open_period(dependency: Dependency) -> None:
    # A fake clock for pybreaker: move its "opened at" back past the reset timeout.
    storage = dependency.breaker._storage
    storage.opened_at = datetime.now(UTC) - timedelta(hours=1)


async def trip(dependency: Dependency, times: int) -> None:
    for _ in range(times):
        with pytest.raises(DependencyUnavailable):
            await dependency.request("GET", "/x", budget=Budget(1), idempotent=False)


async def test_open_breaker_fails_at_once_without_a_request(make_dependency) -> None:  # type: ignore[no-untyped-def]
    calls: list[httpx.Request] = []
    dependency = make_dependency(failing(calls), fail_max=3)
    await trip(dependency, 3)
    assert dependency.breaker.state == "open"

    with pytest.raises(CircuitOpen) as raised:
        await dependency.request("GET", "/x", budget=Budget(1), idempotent=True)
    assert len(calls) == 3
    assert raised.value.dependency == "dep"
    assert raised.value.retry_after >= 1


async def test_half_open_lets_exactly_one_concurrent_probe_through(make_dependency) -> None:  # type: ignore[no-untyped-def]
    release, probing = asyncio.Event(), asyncio.Event()
    probes: list[httpx.Request] = []
    healthy = False

    async def handle(request: httpx.Request) -> httpx.Response:
        if not healthy:
            return httpx.Response(500)
        probes.append(request)
        probing.set()
        await release.wait()
        return httpx.Response(200, json={"ok": True})

    dependency = make_dependency(None, fail_max=2, transport=httpx.MockTransport(handle))
    await trip(dependency, 2)
    healthy = True
    expire_open_period(dependency)
    assert dependency.breaker.state == "half-open"

    calls = [
        asyncio.create_task(dependency.request("GET", "/x", budget=Budget(5), idempotent=False))
        for _ in range(10)
    ]
    await probing.wait()  # every other task has run its check by now: one probe only
    release.set()
    results = await asyncio.gather(*calls, return_exceptions=True)

    assert len(probes) == 1
    assert sum(isinstance(r, httpx.Response) for r in results) == 1
    assert sum(isinstance(r, CircuitOpen) for r in results) == 9
    assert dependency.breaker.state == "closed"


async def test_failed_probe_opens_the_breaker_again(make_dependency) -> None:  # type: ignore[no-untyped-def]
    calls: list[httpx.Request] = []
    dependency = make_dependency(failing(calls), fail_max=2)
    await trip(dependency, 2)
    expire_open_period(dependency)
    await trip(dependency, 1)
    assert dependency.breaker.state == "open"
    assert len(calls) == 3


async def test_cancelled_calls_are_not_counted_as_failures(make_dependency) -> None:  # type: ignore[no-untyped-def]
    started = asyncio.Event()

    async def hang(request: httpx.Request) -> httpx.Response:
        started.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    dependency = make_dependency(None, fail_max=2, transport=httpx.MockTransport(hang))
    for _ in range(5):
        started.clear()
        task = asyncio.create_task(
            dependency.request("GET", "/x", budget=Budget(10), idempotent=False)
        )
        await started.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert dependency.breaker.state == "closed"
    assert dependency.breaker.fail_counter == 0


async def test_cancelled_probe_neither_closes_nor_reopens_the_breaker(make_dependency) -> None:  # type: ignore[no-untyped-def]
    healthy = False
    started = asyncio.Event()

    async def handle(request: httpx.Request) -> httpx.Response:
        if not healthy:
            return httpx.Response(500)
        started.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    dependency = make_dependency(None, fail_max=1, transport=httpx.MockTransport(handle))
    await trip(dependency, 1)
    healthy = True
    expire_open_period(dependency)
    probe = asyncio.create_task(
        dependency.request("GET", "/x", budget=Budget(10), idempotent=False)
    )
    await started.wait()
    probe.cancel()
    with pytest.raises(asyncio.CancelledError):
        await probe
    # Still waiting for a real probe: the next caller may go.
    assert dependency.breaker.state == "half-open"
    assert dependency.breaker.details()["probing"] is False


async def test_client_errors_are_returned_and_never_trip_the_breaker(make_dependency) -> None:  # type: ignore[no-untyped-def]
    calls: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(409, json={"type": "out-of-stock"})

    dependency = make_dependency(handle, fail_max=2, retries=3)
    for _ in range(5):
        response = await dependency.request("POST", "/x", budget=Budget(1), idempotent=True)
        assert response.status_code == 409
    assert len(calls) == 5  # not retried
    assert dependency.breaker.state == "closed"


async def test_state_changes_are_exported_as_metrics(  # type: ignore[no-untyped-def]
    make_dependency, registry: CollectorRegistry
) -> None:
    dependency = make_dependency(failing([]), fail_max=1)
    await trip(dependency, 1)
    sample = registry.get_sample_value
    assert sample("dependency_breaker_state", {"dependency": "dep", "state": "open"}) == 1
    assert sample("dependency_breaker_state", {"dependency": "dep", "state": "closed"}) == 0
    labels = {"dependency": "dep", "from_state": "closed", "to_state": "open"}
    assert sample("dependency_breaker_transitions_total", labels) == 1
    assert sample("dependency_calls_total", {"dependency": "dep", "outcome": "server_error"}) == 1


async def test_timeouts_from_a_budget_spent_upstream_never_open_the_breaker(
    make_dependency,
) -> None:  # type: ignore[no-untyped-def]
    async def hang(request: httpx.Request) -> httpx.Response:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    dependency = make_dependency(None, fail_max=2, transport=httpx.MockTransport(hang))
    # The caller arrives with 20 ms left of its budget: the dependency never had a chance.
    for _ in range(5):
        with pytest.raises(DependencyTimeout):
            await dependency.request("GET", "/x", budget=Budget(0.02), idempotent=True)
    assert dependency.breaker.state == "closed"
    assert dependency.breaker.fail_counter == 0

    # Given a fair time (past `fair_timeout`) and still silent, it is the dependency's fault.
    for _ in range(2):
        with pytest.raises(DependencyTimeout):
            await dependency.request("GET", "/x", budget=Budget(0.3), idempotent=False)
    assert dependency.breaker.state == "open"

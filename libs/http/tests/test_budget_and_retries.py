"""The budget bounds every call, retries stay inside it, and what goes downstream."""

import asyncio
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from shop_http import BUDGET_HEADER, Budget, DependencyTimeout, DependencyUnavailable


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_budget_counts_down_on_a_monotonic_clock_and_never_goes_negative() -> None:
    clock = FakeClock()
    budget = Budget(2.0, clock=clock)
    clock.now += 0.5
    assert budget.remaining() == pytest.approx(1.5)
    assert budget.timeout_for(1.0) == 1.0
    assert budget.timeout_for(5.0) == pytest.approx(1.5)
    assert budget.header() == {BUDGET_HEADER: "1500"}
    clock.now += 10
    assert budget.remaining() == 0.0
    assert budget.expired


async def test_remaining_budget_is_sent_downstream(make_dependency) -> None:  # type: ignore[no-untyped-def]
    seen: list[int] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(int(request.headers[BUDGET_HEADER]))
        return httpx.Response(200)

    await make_dependency(handle).request("GET", "/x", budget=Budget(2.0), idempotent=False)
    assert 1500 < seen[0] <= 2000


async def test_idempotent_calls_are_retried_until_one_succeeds(make_dependency) -> None:  # type: ignore[no-untyped-def]
    answers = iter([httpx.Response(503), httpx.Response(502), httpx.Response(200)])
    dependency = make_dependency(lambda request: next(answers), retries=2, fail_max=10)
    response = await dependency.request("POST", "/x", budget=Budget(2.0), idempotent=True)
    assert response.status_code == 200


async def test_non_idempotent_calls_are_never_retried(make_dependency) -> None:  # type: ignore[no-untyped-def]
    calls: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(500)

    with pytest.raises(DependencyUnavailable) as raised:
        await make_dependency(handle, retries=5, fail_max=10).request(
            "POST", "/x", budget=Budget(2.0), idempotent=False
        )
    assert len(calls) == 1
    assert "500" in raised.value.reason


async def test_connect_errors_are_typed_and_never_httpx(make_dependency) -> None:  # type: ignore[no-untyped-def]
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(DependencyUnavailable) as raised:
        await make_dependency(refuse, retries=1).request(
            "GET", "/x", budget=Budget(1.0), idempotent=True
        )
    assert not isinstance(raised.value, httpx.HTTPError)
    assert "ConnectError" in raised.value.reason


async def test_retries_stop_at_the_budget(make_dependency) -> None:  # type: ignore[no-untyped-def]
    calls: list[float] = []

    async def slow_failure(request: httpx.Request) -> httpx.Response:
        calls.append(time.monotonic())
        await asyncio.sleep(0.12)
        return httpx.Response(503)

    dependency = make_dependency(
        None, retries=50, fail_max=100, transport=httpx.MockTransport(slow_failure)
    )
    started = time.monotonic()
    with pytest.raises((DependencyTimeout, DependencyUnavailable)):
        await dependency.request("GET", "/x", budget=Budget(0.4), idempotent=True)
    elapsed = time.monotonic() - started
    assert elapsed < 0.4 + 0.1
    assert 2 <= len(calls) <= 4


async def test_a_slow_dependency_is_cut_off_at_the_budget(make_dependency) -> None:  # type: ignore[no-untyped-def]
    async def hang(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(30)
        return httpx.Response(200)

    dependency = make_dependency(None, retries=3, transport=httpx.MockTransport(hang))
    started = time.monotonic()
    with pytest.raises(DependencyTimeout):
        await dependency.request("GET", "/x", budget=Budget(0.2), idempotent=True)
    assert time.monotonic() - started < 0.3
    assert dependency.breaker.fail_counter == 1  # a timeout counts against the dependency


@pytest.fixture
async def trickling_server() -> AsyncIterator[str]:
    """A real HTTP server on loopback that dribbles its body, one byte every 100 ms."""

    async def dribble(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
            for _ in range(1000):
                writer.write(b".")
                await writer.drain()
                await asyncio.sleep(0.1)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(dribble, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield f"http://127.0.0.1:{port}"
        server.close()


async def test_a_trickling_server_is_cut_off_at_the_budget_not_per_read(  # type: ignore[no-untyped-def]
    make_dependency, trickling_server: str
) -> None:
    # Every read finishes well inside httpx's per-phase timeout (1 s): only the budget
    # around the whole exchange can stop it.
    dependency = make_dependency(
        None, transport=httpx.AsyncHTTPTransport(), base_url=trickling_server
    )
    started = time.monotonic()
    with pytest.raises(DependencyTimeout):
        await dependency.request("GET", "/slow", budget=Budget(0.5), idempotent=False, timeout=1.0)
    elapsed = time.monotonic() - started
    assert 0.45 <= elapsed < 0.7

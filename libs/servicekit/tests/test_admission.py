"""Admission control: the limiter's rules, then the middleware's answer to the excess."""

import asyncio

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client import CollectorRegistry
from shop_servicekit import AdmissionLimit, AdmissionMetrics, AdmissionMiddleware
from shop_testing.eventually import eventually

LONG = 30.0  # a queue deadline no test reaches: waiters leave only when let in


async def test_requests_enter_up_to_the_limit_then_the_excess_is_shed_without_a_queue() -> None:
    limit = AdmissionLimit(max_in_flight=2, max_waiting=0, queue_timeout=LONG)

    assert [await limit.try_enter() for _ in range(3)] == [True, True, False]
    assert limit.in_flight == 2


async def test_a_waiter_gets_the_slot_a_leaving_request_frees() -> None:
    limit = AdmissionLimit(max_in_flight=1, max_waiting=1, queue_timeout=LONG)
    assert await limit.try_enter()
    waiter = asyncio.create_task(limit.try_enter())
    await eventually(lambda: limit.waiting == 1)

    limit.leave()

    assert await waiter
    assert (limit.in_flight, limit.waiting) == (1, 0)


async def test_a_full_line_sheds_at_once() -> None:
    limit = AdmissionLimit(max_in_flight=1, max_waiting=1, queue_timeout=LONG)
    assert await limit.try_enter()
    waiter = asyncio.create_task(limit.try_enter())
    await eventually(lambda: limit.waiting == 1)

    excess = asyncio.create_task(limit.try_enter())
    await asyncio.sleep(0)  # one turn of the loop: enough for an answer that never waits

    assert excess.done()
    assert not excess.result()
    waiter.cancel()


async def test_a_waiter_nobody_makes_room_for_is_shed_at_the_queue_deadline() -> None:
    limit = AdmissionLimit(max_in_flight=1, max_waiting=1, queue_timeout=0.01)
    assert await limit.try_enter()

    assert not await limit.try_enter()
    assert (limit.in_flight, limit.waiting) == (1, 0)


async def test_no_slot_is_lost_to_shed_or_cancelled_waiters() -> None:
    limit = AdmissionLimit(max_in_flight=2, max_waiting=4, queue_timeout=LONG)
    assert await limit.try_enter()
    assert await limit.try_enter()
    waiters = [asyncio.create_task(limit.try_enter()) for _ in range(3)]
    await eventually(lambda: limit.waiting == 3)

    waiters[0].cancel()  # a client that hung up while waiting
    limit.leave()
    limit.leave()

    assert await asyncio.gather(*waiters[1:]) == [True, True]
    assert waiters[0].cancelled()
    limit.leave()
    limit.leave()
    assert [await limit.try_enter() for _ in range(2)] == [True, True]
    third = asyncio.create_task(limit.try_enter())
    await eventually(lambda: limit.waiting == 1)  # two slots, no more: the third waits
    third.cancel()


def test_a_limit_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="max_in_flight"):
        AdmissionLimit(max_in_flight=0, max_waiting=0, queue_timeout=0)


async def test_the_excess_gets_a_503_problem_with_retry_after_while_admitted_requests_finish() -> (
    None
):
    gate = asyncio.Event()
    app = FastAPI()

    @app.post("/v1/things")
    async def slow() -> dict[str, str]:
        await gate.wait()
        return {"done": "yes"}

    @app.get("/v1/things")
    async def read() -> dict[str, str]:
        return {"read": "yes"}

    registry = CollectorRegistry()
    limit = AdmissionLimit(max_in_flight=2, max_waiting=0, queue_timeout=LONG)
    app.add_middleware(
        AdmissionMiddleware,
        limit=limit,
        routes={("POST", "/v1/things")},
        retry_after_s=2,
        metrics=AdmissionMetrics(registry),
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        admitted = [asyncio.create_task(client.post("/v1/things")) for _ in range(2)]
        await eventually(lambda: limit.in_flight == 2)

        shed = await client.post("/v1/things")
        unlimited = await client.get("/v1/things")
        gate.set()
        done = await asyncio.gather(*admitted)

    assert shed.status_code == 503
    assert shed.headers["Retry-After"] == "2"
    assert shed.headers["Content-Type"] == "application/problem+json"
    assert shed.json()["type"] == "https://shop.example/problems/overloaded"
    assert unlimited.status_code == 200
    assert [r.status_code for r in done] == [200, 200]
    assert registry.get_sample_value("http_requests_shed_total", {"route": "/v1/things"}) == 1

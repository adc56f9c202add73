"""Bounded checkout traffic: closed loop (N at concurrency C) and open loop (R/s for S s).

    send = checkout_sender(client, "http://127.0.0.1:8000", sku="SKU-NOTE-01")
    answers, wall = await closed_loop(send, count=200, concurrency=16)
    answers, wall = await open_loop(send, per_second=50, seconds=10)

Every request is a new customer and a fresh Idempotency-Key (payment's velocity rule counts
per customer). A request that gets no answer counts with status 0.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

MAX_REQUESTS = 5000
ADDRESS = {"name": "Bench", "line1": "1 Loop St", "city": "Berlin", "postal_code": "10115",
           "country": "DE"}  # fmt: skip


@dataclass(frozen=True)
class Answer:
    status: int
    seconds: float
    retry_after: bool = False
    order_id: str | None = None


Send = Callable[[], Awaitable[Answer]]


def checkout_body(sku: str) -> dict[str, Any]:
    tag = uuid.uuid4().hex[:12]
    return {
        "customer": {"id": f"cus_bench_{tag}", "email": f"bench-{tag}@example.com"},
        "items": [{"sku": sku, "quantity": 1}],
        "shipping_address": ADDRESS,
        "payment": {"token": "tok_visa"},
        "currency": "EUR",
    }


def checkout_sender(
    client: httpx.AsyncClient, url: str, sku: str, path: str = "/v1/checkouts"
) -> Send:
    async def send() -> Answer:
        started = time.perf_counter()
        try:
            response = await client.post(
                f"{url}{path}",
                json=checkout_body(sku),
                headers={"Idempotency-Key": f"bench-{uuid.uuid4().hex}"},
            )
        except httpx.HTTPError:
            return Answer(0, time.perf_counter() - started)
        took = time.perf_counter() - started
        order_id = None
        if response.status_code == 201:
            order_id = response.json().get("order_id")
        return Answer(response.status_code, took, "retry-after" in response.headers, order_id)

    return send


async def closed_loop(send: Send, count: int, concurrency: int) -> tuple[list[Answer], float]:
    count = min(count, MAX_REQUESTS)
    gate = asyncio.Semaphore(concurrency)

    async def one() -> Answer:
        async with gate:
            return await send()

    started = time.perf_counter()
    answers = await asyncio.gather(*(one() for _ in range(count)))
    return list(answers), time.perf_counter() - started


async def open_loop(send: Send, per_second: float, seconds: float) -> tuple[list[Answer], float]:
    """Start one request every 1/per_second s whatever the answers do (no coordinated
    omission); the wall time runs until the last answer."""
    count = min(int(per_second * seconds), MAX_REQUESTS)
    started = time.perf_counter()

    async def paced(n: int) -> Answer:
        await asyncio.sleep(max(0.0, started + n / per_second - time.perf_counter()))
        return await send()

    answers = await asyncio.gather(*(paced(n) for n in range(count)))
    return list(answers), time.perf_counter() - started


def latencies(answers: Sequence[Answer], status: int = 201) -> list[float]:
    return [a.seconds for a in answers if a.status == status]


def statuses(answers: Sequence[Answer]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for answer in answers:
        counts[answer.status] = counts.get(answer.status, 0) + 1
    return dict(sorted(counts.items()))

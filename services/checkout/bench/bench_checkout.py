"""Checkout benchmark: throughput, latency, and p99 with a breaker open vs a dependency timing out.

    .venv/bin/python services/checkout/bench/bench_checkout.py            # the embedded stack
    .venv/bin/python services/checkout/bench/bench_checkout.py --checkouts 200 --concurrency 16 \
        --checkout http://127.0.0.1:8000 --payment http://127.0.0.1:8003

Not a test: it prints numbers. It needs running services, talks to loopback addresses only,
runs bounded loops, and always clears the faults it injects on payment (PUT /admin/faults).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

import httpx
from shop_auth import ShopAuth

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MAX_CHECKOUTS = 2000


def loopback_url(value: str) -> str:
    if urlsplit(value).hostname not in LOOPBACK:
        raise argparse.ArgumentTypeError(f"{value}: only loopback targets are allowed")
    return value.rstrip("/")


def order(sku: str) -> dict[str, Any]:
    return {
        "customer": {"id": f"bench_{uuid.uuid4().hex[:12]}", "email": "bench@example.com"},
        "items": [{"sku": sku, "quantity": 1}],
        "shipping_address": {
            "name": "Bench",
            "line1": "1 Loop St",
            "city": "Berlin",
            "postal_code": "10115",
            "country": "DE",
        },
        "payment": {"token": "tok_visa"},
        "currency": "EUR",
    }


async def checkout_once(client: httpx.AsyncClient, base: str, sku: str) -> tuple[int, float]:
    started = time.perf_counter()
    response = await client.post(
        f"{base}/v1/checkouts",
        json=order(sku),
        headers={"Idempotency-Key": f"bench-{uuid.uuid4().hex}"},
    )
    return response.status_code, time.perf_counter() - started


async def run_many(
    client: httpx.AsyncClient, base: str, sku: str, count: int, concurrency: int
) -> list[tuple[int, float]]:
    gate = asyncio.Semaphore(concurrency)

    async def one() -> tuple[int, float]:
        async with gate:
            return await checkout_once(client, base, sku)

    return list(await asyncio.gather(*(one() for _ in range(count))))


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(pct) - 1]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def spread(latencies: list[float]) -> str:
    return f"  p50 {ms(percentile(latencies, 50))}  p99 {ms(percentile(latencies, 99))}"


async def breaker_state(client: httpx.AsyncClient, base: str) -> str:
    report = (await client.get(f"{base}/health/ready")).json()
    return str(report["checks"]["breaker_payment"]["state"])


async def faults(client: httpx.AsyncClient, payment: str, **body: Any) -> None:
    # The client's ShopAuth signs /admin calls as the operator.
    if body:
        (await client.put(f"{payment}/admin/faults", json=body)).raise_for_status()
    else:
        await client.delete(f"{payment}/admin/faults")


async def wait_closed(client: httpx.AsyncClient, base: str, sku: str, within: float) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        status, _ = await checkout_once(client, base, sku)
        if status == 201 and await breaker_state(client, base) == "closed":
            return
        await asyncio.sleep(0.5)
    raise SystemExit("payment breaker did not close again; is payment healthy?")


async def main(args: argparse.Namespace) -> None:
    base = args.checkout
    auth = ShopAuth({"checkout": args.checkout, "payment": args.payment})
    limits = httpx.Limits(max_connections=64)
    async with httpx.AsyncClient(timeout=30, limits=limits, auth=auth) as client:
        await faults(client, args.payment)
        started = time.perf_counter()
        results = await run_many(client, base, args.sku, args.checkouts, args.concurrency)
        wall = time.perf_counter() - started
        latencies = [t for status, t in results if status == 201]
        print(f"checkouts: {len(results)} at concurrency {args.concurrency} in {wall:.2f} s")
        print(f"  statuses: {dict(Counter(status for status, _ in results))}")
        print(f"  throughput: {len(latencies) / wall:.1f} confirmed/s")
        print(f"  latency {spread(latencies).strip()}")

        try:
            await faults(client, args.payment, refuse=True)
            for _ in range(50):  # bounded: trip the breaker
                await checkout_once(client, base, args.sku)
                if await breaker_state(client, base) == "open":
                    break
            open_results = await run_many(client, base, args.sku, args.probes, args.concurrency)
            open_latencies = [t for status, t in open_results if status == 503]
            print(f"breaker open: {len(open_latencies)}/{len(open_results)} answered 503")
            print(spread(open_latencies))

            await faults(client, args.payment)
            await wait_closed(client, base, args.sku, within=args.reset_wait)
            await faults(client, args.payment, latency_ms=args.latency_ms)
            slow_results = await run_many(client, base, args.sku, args.slow, args.slow)
            slow_latencies = [t for status, t in slow_results if status == 504]
            print(
                f"payment timing out ({args.latency_ms} ms added): "
                f"{len(slow_latencies)}/{len(slow_results)} answered 504"
            )
            print(spread(slow_latencies))
        finally:
            await faults(client, args.payment)


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--checkout", type=loopback_url, default="http://127.0.0.1:8000")
    parser.add_argument("--payment", type=loopback_url, default="http://127.0.0.1:8003")
    parser.add_argument("--sku", default="SKU-MUG-01")
    parser.add_argument(
        "--checkouts",
        type=int,
        default=100,
        choices=range(1, MAX_CHECKOUTS + 1),
        metavar=f"1..{MAX_CHECKOUTS}",
    )
    parser.add_argument("--concurrency", type=int, default=8, choices=range(1, 65), metavar="1..64")
    parser.add_argument(
        "--probes",
        type=int,
        default=100,
        choices=range(1, 1001),
        metavar="1..1000",
        help="checkouts sent while the breaker is open",
    )
    parser.add_argument(
        "--slow",
        type=int,
        default=3,
        choices=range(1, 21),
        metavar="1..20",
        help="checkouts sent while payment times out (stay under fail_max)",
    )
    parser.add_argument("--latency-ms", type=int, default=3000)
    parser.add_argument("--reset-wait", type=float, default=30.0)
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(parse()))

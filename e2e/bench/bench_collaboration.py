"""Benchmark of the collaboration half: outbox relay throughput and event-chain lag.

    .venv/bin/python e2e/bench/bench_collaboration.py [--relay-orders 300] [--lag-orders 100]

Against a running stack (`make up`; default embedded ports, loopback only; STACK_VAR_DIR
if its var dir is not ./var). Not a test: it prints numbers.

1. Relay throughput. checkout-work is stopped through the stack runner, N checkouts are
   placed (their OrderConfirmed wait in the outbox), checkout-work is started again, and
   its published-events counter (/metrics) is polled until all N are out. Printed: the
   publish rate from the first to the last event, and the time from process start. (End
   offsets of checkout.orders are not used for timing: Tansu's were seen to lag the log.)
2. Lag OrderConfirmed -> CustomerNotified under a steady, bounded checkout load (open loop
   at --rate per second): for each order, from the OrderConfirmed event's time (its commit)
   and from its broker timestamp, to the broker timestamp of the CustomerNotified about it.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid
from collections.abc import Sequence
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition
from shop_auth import ShopAuth
from shop_contracts import CustomerNotified, OrderConfirmedV2, from_kafka, topics
from shop_stack.runner import StackRunner
from shop_stack.supervisor import Supervisor
from shop_stack.topology import StackConfig, build_topology

ADDRESS = {"name": "Bench", "line1": "1 Loop St", "city": "Berlin", "postal_code": "10115",
           "country": "DE"}  # fmt: skip


SKU = "SKU-NOTE-01"


async def top_up(args: argparse.Namespace, needed: int) -> None:
    """Replenish SKU (admin API) so `needed` more checkouts cannot run out of stock."""
    async with httpx.AsyncClient(timeout=30, auth=_auth(args)) as client:
        stock = (await client.get(f"{args.inventory}/v1/stock/{SKU}")).json()
        if stock["available"] < needed:
            response = await client.post(
                f"{args.inventory}/v1/stock/{SKU}/replenish",
                json={"quantity": needed - stock["available"]},
            )
            response.raise_for_status()


def checkout_body() -> dict[str, Any]:
    tag = uuid.uuid4().hex[:12]
    # A new customer per order: payment's velocity rule counts attempts per customer.
    return {
        "customer": {"id": f"cus_bench_{tag}", "email": f"bench-{tag}@example.com"},
        "items": [{"sku": SKU, "quantity": 1}],
        "shipping_address": ADDRESS,
        "payment": {"token": "tok_visa"},
        "currency": "EUR",
    }


async def place(client: httpx.AsyncClient, checkout: str) -> tuple[int, float, str | None]:
    """One checkout: (HTTP status, seconds taken, order id if confirmed)."""
    started = time.perf_counter()
    response = await client.post(
        f"{checkout}/v1/checkouts",
        json=checkout_body(),
        headers={"Idempotency-Key": f"bench-{uuid.uuid4().hex}"},
    )
    took = time.perf_counter() - started
    order_id = response.json()["order_id"] if response.status_code == 201 else None
    return response.status_code, took, order_id


async def end_offsets(consumer: AIOKafkaConsumer, topic: str) -> dict[TopicPartition, int]:
    # The stack creates its topics at start; `topics()` has loaded their metadata.
    partitions = consumer.partitions_for_topic(topic) or set()
    tps = [TopicPartition(topic, p) for p in sorted(partitions)]
    return {tp: int(o) for tp, o in (await consumer.end_offsets(tps)).items()}


async def relay_throughput(args: argparse.Namespace) -> None:
    config = StackConfig.from_env()
    runner = StackRunner(build_topology(config), Supervisor(config.dirs), say=print)
    try:
        await top_up(args, args.relay_orders)
        runner.sup.stop("checkout-work")
        print(f"relay: checkout-work stopped; placing {args.relay_orders} checkouts")
        async with httpx.AsyncClient(timeout=30, auth=_auth(args)) as client:
            limit = asyncio.Semaphore(args.concurrency)

            async def one() -> str | None:
                async with limit:
                    return (await place(client, args.checkout))[2]

            placed = await asyncio.gather(*(one() for _ in range(args.relay_orders)))
        waiting = {order_id for order_id in placed if order_id}
        print(f"relay: {len(waiting)} confirmed; their OrderConfirmed wait in the outbox")

        # Timed by checkout-work's own counter on its /metrics: read from outside, the
        # records arrive in a few fetches (too coarse), and Tansu's end offsets were seen
        # to lag the log by a record.
        metrics = f"http://127.0.0.1:{args.worker_port}/metrics"
        started = time.perf_counter()
        restart = asyncio.create_task(runner.start("checkout-work", within=60))
        first = last = None
        at_first = 0.0
        async with httpx.AsyncClient(timeout=5, auth=_auth(args)) as client:
            while time.perf_counter() - started < 120:
                published = await published_orders(client, metrics)
                now = time.perf_counter()
                if published and first is None:
                    first, at_first = now, published
                if published >= len(waiting):
                    last = now
                    break
                await asyncio.sleep(0.005)
        await restart
        if first is None or last is None:
            print("relay: not every OrderConfirmed was published within 120 s")
        else:
            # What was already out at the first poll is not in the timed span.
            rate = (len(waiting) - at_first) / max(last - first, 0.005)
            print(
                f"relay: {len(waiting)} OrderConfirmed published; {len(waiting) - at_first:.0f}"
                f" of them in {last - first:.3f} s (polled every 5 ms) = {rate:,.0f} events/s;"
                f" {last - started:.2f} s after starting checkout-work (process start included)"
            )
    finally:
        if runner.sup.pid("checkout-work") is None:
            await runner.start("checkout-work", within=60)


async def published_orders(client: httpx.AsyncClient, metrics: str) -> float:
    try:
        text = (await client.get(metrics)).text
    except httpx.HTTPError:
        return 0.0  # not up yet
    for line in text.splitlines():
        if line.startswith('shop_outbox_events_published_total{topic="checkout.orders"}'):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


async def quiet(consumer: AIOKafkaConsumer, topic: str, still: float = 3.0) -> None:
    """Wait until `topic` has not grown for `still` seconds: the consumers have drained
    what earlier load left them, so the lag measured is the pipeline's, not a backlog's."""
    last, since = -1, time.monotonic()
    while time.monotonic() - since < still:
        size = sum((await end_offsets(consumer, topic)).values())
        if size != last:
            last, since = size, time.monotonic()
        await asyncio.sleep(0.5)


async def notification_lag(args: argparse.Namespace) -> None:
    consumer = AIOKafkaConsumer(bootstrap_servers=args.bootstrap, enable_auto_commit=False)
    await consumer.start()
    confirmed: dict[str, tuple[float, float]] = {}  # OrderConfirmed id -> (ce time, broker ts)
    notified: dict[str, float] = {}  # OrderConfirmed id -> broker ts of its CustomerNotified
    try:
        await consumer.topics()
        print("lag: waiting for the consumers to drain earlier load")
        await quiet(consumer, topics.NOTIFICATIONS)
        starts: dict[TopicPartition, int] = {}
        for topic in (topics.ORDERS, topics.NOTIFICATIONS):
            starts.update(await end_offsets(consumer, topic))
        consumer.assign(list(starts))
        for tp, offset in starts.items():
            consumer.seek(tp, offset)

        async def collect() -> None:
            while True:
                for records in (await consumer.getmany(timeout_ms=100)).values():
                    for record in records:
                        event = from_kafka(record.key, record.value, list(record.headers))
                        seen_at = record.timestamp / 1000
                        if isinstance(event.data, OrderConfirmedV2):
                            confirmed[event.id] = (event.time.timestamp(), seen_at)
                        elif (
                            isinstance(event.data, CustomerNotified)
                            and event.data.kind == "ORDER_CONFIRMED"
                        ):
                            notified.setdefault(event.data.about_event_id, seen_at)

        await top_up(args, args.lag_orders)
        collector = asyncio.create_task(collect())
        print(f"lag: {args.lag_orders} checkouts at {args.rate}/s (open loop)")
        latencies: list[float] = []
        placed_from = time.time()
        async with httpx.AsyncClient(timeout=30, auth=_auth(args)) as client:
            t0 = time.perf_counter()

            async def paced(n: int) -> None:
                await asyncio.sleep(max(0.0, t0 + n / args.rate - time.perf_counter()))
                code, took, _ = await place(client, args.checkout)
                if code == 201:
                    latencies.append(took)

            await asyncio.gather(*(paced(n) for n in range(args.lag_orders)))
        for _ in range(600):  # up to 60 s for the stragglers
            if len([c for c in notified if c in confirmed]) >= len(latencies):
                break
            await asyncio.sleep(0.1)
        collector.cancel()
        await asyncio.gather(collector, return_exceptions=True)
    finally:
        await consumer.stop()

    # Only the orders placed here (an OrderConfirmed left over from earlier may still land).
    done = [c for c in confirmed if c in notified and confirmed[c][0] >= placed_from]
    print(f"lag: {len(latencies)} confirmed (checkout p50 {ms(pct(latencies, 50))},"
          f" p99 {ms(pct(latencies, 99))}); {len(done)} of them notified")  # fmt: skip
    from_commit = [notified[c] - confirmed[c][0] for c in done]
    from_publish = [notified[c] - confirmed[c][1] for c in done]
    print(f"lag: OrderConfirmed committed -> CustomerNotified published:"
          f" p50 {ms(pct(from_commit, 50))}, p99 {ms(pct(from_commit, 99))}")  # fmt: skip
    print(f"lag: OrderConfirmed published -> CustomerNotified published:"
          f" p50 {ms(pct(from_publish, 50))}, p99 {ms(pct(from_publish, 99))}")  # fmt: skip


def pct(values: Sequence[float], p: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--checkout", default="http://127.0.0.1:8000")
    parser.add_argument("--inventory", default="http://127.0.0.1:8002")
    parser.add_argument("--worker-port", type=int, default=8100, help="checkout-work's port")
    parser.add_argument("--bootstrap", default="127.0.0.1:9092")
    parser.add_argument("--relay-orders", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--lag-orders", type=int, default=100)
    parser.add_argument("--rate", type=float, default=10.0, help="checkouts per second")
    parser.add_argument("--skip-relay", action="store_true")
    args = parser.parse_args()
    if not args.skip_relay:
        asyncio.run(relay_throughput(args))
    asyncio.run(notification_lag(args))


if __name__ == "__main__":
    main()


def _auth(args: argparse.Namespace) -> ShopAuth:
    """Customers at checkout, the operator at inventory's replenishment."""
    return ShopAuth({"checkout": args.checkout, "inventory": args.inventory})

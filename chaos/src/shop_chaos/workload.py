"""Checkouts at a steady rate, each by its own customer, retried as a careful client would.

    attempts = await Workload(shop, seed=42, count=500, rate=4.0).run()

The cart, card and customer of checkout n follow from the seed alone. A checkout that gets
no answer or a 5xx (503 "retry with the same key", 504 budget spent) is retried, at most
twice and a second apart, with the same Idempotency-Key, as the API asks; the last
answer is what the history records.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections import Counter
from collections.abc import Iterator

import httpx
from shop_e2e.shop import Shop

from shop_chaos.history import Attempt

# The demo catalog: SKU-LAMP-01 backorders (no warehouse stock), SKU-PRINT-01 has 3 in all.
SKUS = (
    "SKU-MUG-01", "SKU-TEE-01", "SKU-CAP-01", "SKU-TOTE-01", "SKU-BOTTLE-01", "SKU-NOTE-01",
    "SKU-PEN-01", "SKU-HOODIE-01", "SKU-LAMP-01", "SKU-PRINT-01",
)  # fmt: skip
# Scarce on purpose, never topped up: they keep the backorder and out-of-stock paths busy.
SCARCE = frozenset({"SKU-LAMP-01", "SKU-PRINT-01"})
DECLINED_SHARE = 0.05
RETRIES = 2
CONCURRENCY = 32


class Workload:
    def __init__(self, shop: Shop, *, seed: int, count: int, rate: float) -> None:
        self.shop, self.seed, self.count, self.rate = shop, seed, count, rate
        self.run_tag = uuid.uuid4().hex[:8]  # customers unique across runs on one stack
        self.done = 0

    def carts(self) -> Iterator[tuple[str, int, str]]:
        """(sku, quantity, card token) of each checkout, in order: from the seed alone."""
        rng = random.Random(self.seed)
        for _ in range(self.count):
            sku, quantity = rng.choice(SKUS), rng.randint(1, 2)
            yield sku, quantity, "tok_declined" if rng.random() < DECLINED_SHARE else "tok_visa"

    def demand(self) -> Counter[str]:
        """The units the whole run asks for, per SKU (every checkout, declined ones too)."""
        wanted: Counter[str] = Counter()
        for sku, quantity, _ in self.carts():
            wanted[sku] += quantity
        return wanted

    async def run(self) -> list[Attempt]:
        limit = asyncio.Semaphore(CONCURRENCY)
        started = time.monotonic()
        tasks = []
        for n, (sku, quantity, token) in enumerate(self.carts()):
            # A steady rate: checkout n leaves at n / rate, whatever the others are doing.
            await asyncio.sleep(max(0.0, started + n / self.rate - time.monotonic()))
            await limit.acquire()
            task = asyncio.create_task(self._checkout(n, sku, quantity, token))
            task.add_done_callback(lambda _: limit.release())
            tasks.append(task)
        return list(await asyncio.gather(*tasks))

    async def _checkout(self, n: int, sku: str, quantity: int, token: str) -> Attempt:
        tag = f"{self.run_tag}-{n}"
        customer = {"id": f"cus_chaos_{tag}", "email": f"chaos-{tag}@example.com"}
        body = self.shop.checkout_body(customer, [(sku, quantity)], token=token)
        key = f"chaos-{tag}"
        status: int | None = None
        order_id: str | None = None
        problem: str | None = None
        tries = 0
        while tries <= RETRIES:
            tries += 1
            try:
                response = await self.shop.post_checkout(body, key)
            except httpx.HTTPError:
                status, problem = None, None
            else:
                status, problem = response.status_code, _problem(response)
                if status == 201:
                    order_id = str(response.json()["order_id"])
            if status is not None and status < 500:
                break
            await asyncio.sleep(1.0)
        self.done += 1
        return Attempt(customer["id"], customer["email"], sku, quantity, token, status, order_id,
                       tries, problem)  # fmt: skip


def _problem(response: httpx.Response) -> str | None:
    if response.is_success or "problem+json" not in response.headers.get("content-type", ""):
        return None
    return str(response.json().get("type", "")).rsplit("/", 1)[-1] or None

"""Token-bucket rate limits for one process: 429 problem+json with Retry-After.

    per_customer = TokenBuckets(rate_per_minute=30, burst=10)
    limits = [limit_per_caller(per_customer, auth.customer()), limit_per_client(per_client)]
    @router.post("/v1/checkouts", dependencies=[Depends(limit) for limit in limits])

Each key (a customer, a client address) has a bucket of `burst` tokens refilled at
`rate_per_minute`; a request takes one or is refused with the seconds until the next token.
Buckets live in memory: with N replicas a customer gets N times the rate, which is what a
per-process limit can promise (a shared store is the fork's step when that matters). The
least recently used buckets are dropped past `max_keys`, so memory stays bounded.
"""

import math
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request

from shop_servicekit.auth import Caller, Guard
from shop_servicekit.problems import Problem


class TokenBuckets:
    def __init__(
        self,
        *,
        rate_per_minute: float,
        burst: int,
        max_keys: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._rate = rate_per_minute / 60.0
        self._burst = float(burst)
        self._max_keys = max_keys
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def wait_for(self, key: str) -> float:
        """Take a token for `key`: 0.0 if one was there, else the seconds until one is."""
        now = self._clock()
        tokens, updated = self._buckets.pop(key, (self._burst, now))
        tokens = min(self._burst, tokens + (now - updated) * self._rate)
        wait = 0.0
        if tokens >= 1.0:
            tokens -= 1.0
        else:
            wait = (1.0 - tokens) / self._rate if self._rate > 0 else math.inf
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > self._max_keys:
            self._buckets.popitem(last=False)
        return wait


def _refuse(scope: str, wait: float) -> Problem:
    seconds = max(1, math.ceil(wait)) if math.isfinite(wait) else 60
    return Problem(
        429,
        "rate-limited",
        "Too many requests",
        detail=f"Too many requests from this {scope}; retry after {seconds} s",
        headers={"Retry-After": str(seconds)},
    )


def limit_per_caller(buckets: TokenBuckets, guard: Guard) -> Callable[..., Awaitable[None]]:
    """A limit keyed by the authenticated subject (the guard's, so it runs once per request)."""

    async def limit(caller: Annotated[Caller, Depends(guard)]) -> None:
        wait = buckets.wait_for(caller.subject)
        if wait:
            raise _refuse("customer", wait)

    return limit


def limit_per_client(buckets: TokenBuckets) -> Callable[..., Awaitable[None]]:
    """A limit keyed by the client's address (the peer: put the real one there at the proxy)."""

    async def limit(request: Request) -> None:
        wait = buckets.wait_for(request.client.host if request.client else "unknown")
        if wait:
            raise _refuse("client", wait)

    return limit

"""Wait on a condition instead of sleeping.

    order = await eventually(lambda: client.get_order(order_id))          # truthy value
    await eventually(assert_email_sent, timeout=5)                        # stops raising

`check` may be sync or async. It passes when it returns a truthy value without raising
AssertionError; the value is returned. On timeout, AssertionError carries the last
failure, so the test report says what was still wrong.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def eventually(
    check: Callable[[], Awaitable[T] | T],
    *,
    timeout: float = 10.0,  # noqa: ASYNC109  (a polling budget, not an I/O timeout)
    interval: float = 0.05,
) -> T:
    """Retry `check` every `interval` s until it passes or `timeout` s have passed."""
    deadline = time.monotonic() + timeout
    last: str = "never ran"
    while True:
        try:
            result = check()
            value = await result if inspect.isawaitable(result) else result
            if value:
                return value
            last = f"returned {value!r}"
        except AssertionError as exc:
            last = f"AssertionError: {exc}" if str(exc) else "AssertionError"
        if time.monotonic() >= deadline:
            raise AssertionError(f"condition not met within {timeout}s; last: {last}")
        await asyncio.sleep(interval)

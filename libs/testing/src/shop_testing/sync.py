"""Run a coroutine to completion from synchronous code, even inside a running loop.

Session fixtures are synchronous (so any test, sync or async, can use them), but the
database and Kafka clients are async. Inside a running event loop we cannot call
`asyncio.run`, so the coroutine then gets a private loop on a short-lived thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_sync(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """`run_sync(lambda: conn_check(url))` -> the coroutine's result."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()

"""Compensations that finish after the answer, kept until they end.

tasks = BackgroundTasks()
tasks.spawn(coro)             # in a request: runs on after the response
await tasks.drain(timeout=5)  # at shutdown, before the HTTP clients close
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger(__name__)


class BackgroundTasks:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coro)
        self._tasks.add(task)  # a strong reference: the loop keeps only weak ones
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background compensation failed", exc_info=task.exception())

    async def drain(self, timeout: float) -> None:  # noqa: ASYNC109
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)

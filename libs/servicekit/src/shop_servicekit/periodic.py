"""A background task that runs one step of work on a fixed interval, forever.

    sweep = periodic(partial(expire_holds, sessions, clock=utc_now),
                     name="expire_holds", interval=5.0, batch_size=100)
    Worker(tasks=[sweep, ...], ...)          # `work` runs it until shutdown

The step returns how many items it handled. A step that filled its batch runs again at
once (there is probably more); otherwise the task waits `interval`. A failing step is
logged and tried again after the interval: a database blip must not kill the loop, and
the next pass picks up whatever this one missed. Cancellation stops the loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

log = logging.getLogger(__name__)

TaskFactory = Callable[[], Coroutine[Any, Any, None]]


def periodic(
    step: Callable[[], Awaitable[int | None]],
    *,
    name: str,
    interval: float,
    batch_size: int | None = None,
    first_delay: float = 0.0,
) -> TaskFactory:
    """A task factory for `Worker.tasks` that runs `step` every `interval` seconds."""

    async def run() -> None:
        if first_delay:
            await asyncio.sleep(first_delay)
        while True:
            try:
                handled = await step() or 0
            except Exception:
                log.exception("%s failed; trying again in %.1fs", name, interval)
                handled = 0
            if handled:
                log.info("%s handled %d", name, handled)
            if batch_size is None or handled < batch_size:
                await asyncio.sleep(interval)

    run.__name__ = name
    return run

"""Restart a supervised process that dies, as compose's `restart: unless-stopped` would.

    watchdog = Watchdog(topology.processes, supervisor, say=print)
    watchdog.start()                 # a daemon thread polls every `interval` seconds
    ...
    watchdog.stop()

`StackRunner.keep_alive()` starts one for the stack it brought up; its `down` stops it first.

A process is restarted only when this runner started it, its pid file still names it and
it has exited: `Supervisor.stop` forgets a process before anyone could see it dead, so a
process stopped on purpose stays stopped, and a SIGSTOPped process is alive, not dead.
Restarts back off (0.5 s doubling to `cap`) while a process keeps dying within
`stable_after` seconds of its start; each restart is logged through the runner's `say`.
A restarted process gets its spec's `after_ready` again (the memory-only broker's topics).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from shop_stack.spec import ProcessSpec
from shop_stack.supervisor import Supervisor, SupervisorError

FIRST_DELAY = 0.5


@dataclass
class _History:
    """Restarts of one process since it last stayed up for `stable_after` seconds."""

    restarts: int = 0
    started_at: float = 0.0


class Watchdog:
    """Polls the runner's processes on its own thread and event loop."""

    def __init__(
        self,
        specs: Iterable[ProcessSpec],
        sup: Supervisor,
        say: Callable[[str], None] = print,
        *,
        interval: float = 0.2,
        cap: float = 30.0,
        stable_after: float = 10.0,
        ready_within: float = 60.0,
    ) -> None:
        self.specs, self.sup, self.say = tuple(specs), sup, say
        self.interval, self.cap = interval, cap
        self.stable_after, self.ready_within = stable_after, ready_within
        self.restarts: dict[str, int] = {}  # total per name, for reports and tests
        self.polls = 0
        self._history: dict[str, _History] = {}
        self._halt = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(
                target=lambda: asyncio.run(self._watch()), name="stack-watchdog", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        self._halt.set()
        if self._thread is not None:
            self._thread.join(timeout=self.ready_within + 5)
            self._thread = None

    def delay(self, name: str, now: float) -> float:
        """How long to wait before restarting `name`, which has just been found dead."""
        history = self._history.setdefault(name, _History(started_at=now))
        if now - history.started_at >= self.stable_after:
            history.restarts = 0
        wait = min(self.cap, FIRST_DELAY * 2.0**history.restarts)
        history.restarts += 1
        return wait

    def started(self, name: str, now: float) -> None:
        """Record that `name` was (re)started at `now`: its stability clock starts."""
        self._history.setdefault(name, _History()).started_at = now

    async def _watch(self) -> None:
        restarting: dict[str, asyncio.Task[None]] = {}
        while not self._halt.is_set():
            for spec in self.specs:
                task = restarting.get(spec.name)
                if task is not None and not task.done():
                    continue
                code = self.sup.died(spec.name)
                if code is not None:
                    restarting[spec.name] = asyncio.create_task(self._restart(spec, code))
            self.polls += 1
            await asyncio.sleep(self.interval)
        for task in restarting.values():
            task.cancel()

    async def _restart(self, spec: ProcessSpec, code: int) -> None:
        wait = self.delay(spec.name, time.monotonic())
        say = self.say
        say(f"stack: {spec.name} exited with {code}; restarting it in {wait:.1f}s")
        await asyncio.sleep(wait)
        if self._halt.is_set():
            return
        try:
            pid = self.sup.restart_if_died(spec)
        except (SupervisorError, OSError) as exc:
            say(f"stack: restarting {spec.name} failed: {exc}")
            return
        if pid is None:
            return  # stopped or started by someone else meanwhile
        self.started(spec.name, time.monotonic())
        self.restarts[spec.name] = self.restarts.get(spec.name, 0) + 1
        deadline = time.monotonic() + self.ready_within
        while spec.ready is not None and not await spec.ready():
            if self._halt.is_set() or self.sup.pid(spec.name) != pid:
                return
            if time.monotonic() > deadline:
                say(f"stack: {spec.name} (pid {pid}) restarted but not ready")
                return
            await asyncio.sleep(0.2)
        if spec.after_ready is not None:
            await spec.after_ready()
        say(f"stack: {spec.name} restarted, pid {pid}, ready")

"""Bring a topology up and down: dependency order, readiness, clean failure.

    runner = StackRunner(build_topology(config), Supervisor(config.dirs))
    await runner.up(timeout=60)      # raises StackError after stopping what it started
    runner.keep_alive()              # restart what dies, until `down`
    runner.down()

`up` is idempotent: processes already running (and ours) are left alone and are not
stopped if a later step fails; only what this call started is rolled back.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

from shop_stack.postgres import create_databases
from shop_stack.spec import ProcessSpec
from shop_stack.supervisor import Supervisor, SupervisorError
from shop_stack.topics import create_topics
from shop_stack.topology import INFRA_STOP_ORDER, Topology
from shop_stack.watchdog import Watchdog


class StackError(RuntimeError):
    """`up` failed; the message says which process and why (with its log tail)."""


class StackRunner:
    def __init__(
        self, topology: Topology, supervisor: Supervisor, say: Callable[[str], None] = print
    ) -> None:
        self.topology = topology
        self.sup = supervisor
        self.say = say
        self.started: list[str] = []
        self.watchdog: Watchdog | None = None

    async def up(self, within: float = 60.0) -> None:
        """Start everything in order and wait until all of it is ready."""
        deadline = time.monotonic() + within
        try:
            for spec in self.topology.infra:
                self._start(spec)
                await self._wait_ready([spec], deadline)
            if self.topology.admin_url and self.topology.databases:
                await create_databases(self.topology.admin_url, self.topology.databases)
            if self.topology.bootstrap and self.topology.create_topics:
                # An external broker; the embedded one creates them in its after_ready.
                await create_topics(self.topology.bootstrap)
            await self.migrate(deadline)
            for spec in self.topology.services:
                self._start(spec)
            await self._wait_ready(list(self.topology.services), deadline)
            for spec in self.topology.apps:
                self._start(spec)
            await self._wait_ready(list(self.topology.apps), deadline)
        except (SupervisorError, StackError, OSError) as exc:
            self.say(f"stack: {exc}")
            self.say(f"stack: start failed, stopping what this run started: {self.started}")
            self.rollback()
            raise StackError(str(exc)) from exc

    async def start(self, name: str, within: float = 60.0) -> None:
        """Start one process (if not running) and wait for it to be ready."""
        spec = self.topology.get(name)
        self._start(spec)
        await self._wait_ready([spec], time.monotonic() + within)

    def keep_alive(self) -> Watchdog:
        """Restart any process of the topology that dies (with backoff) until `down`."""
        if self.watchdog is None:
            self.watchdog = Watchdog(self.topology.processes, self.sup, self.say)
            self.watchdog.start()
        return self.watchdog

    def rollback(self) -> None:
        """Stop what this runner started, newest first."""
        for name in reversed(self.started):
            try:
                self.sup.stop(name)
            except SupervisorError as exc:  # keep stopping the others
                self.say(f"stack: {exc}")
        self.started.clear()

    def down(self, names: Iterable[str] | None = None) -> list[str]:
        """Stop every process with a pid file (or `names`): services first, postgres last."""
        if self.watchdog is not None:
            self.watchdog.stop()
            self.watchdog = None
        names = list(names) if names is not None else self.sup.names()
        infra = [n for n in INFRA_STOP_ORDER if n in names]
        others = [n for n in names if n not in INFRA_STOP_ORDER]
        stopped: list[str] = []
        # Services stop independently of each other, so in parallel; infra one by one.
        with ThreadPoolExecutor(max_workers=max(1, len(others))) as pool:
            for name, did in zip(others, pool.map(self.sup.stop, others), strict=True):
                if did:
                    stopped.append(name)
        stopped += [n for n in infra if self.sup.stop(n)]
        return stopped

    async def migrate(self, deadline: float) -> None:
        """Run every migration command in parallel; fail with the log of the first that fails."""
        if self.topology.migrations:
            self.say(f"stack: migrating {len(self.topology.migrations)} databases")
        results = await asyncio.gather(
            *(self._run_once(spec, deadline) for spec in self.topology.migrations)
        )
        failed = [msg for msg in results if msg]
        if failed:
            raise StackError("\n".join(failed))

    async def _run_once(self, spec: ProcessSpec, deadline: float) -> str | None:
        log = self.sup.log_file(spec.name)
        with log.open("ab") as out:
            proc = await asyncio.create_subprocess_exec(
                *spec.argv,
                env={**os.environ, **spec.env},
                stdin=asyncio.subprocess.DEVNULL,
                stdout=out,
                stderr=asyncio.subprocess.STDOUT,
            )
        try:
            code = await asyncio.wait_for(proc.wait(), max(deadline - time.monotonic(), 1))
        except TimeoutError:
            proc.kill()
            await proc.wait()
            tail = self.sup.tail(spec.name)
            return f"{spec.name} did not finish in time; last lines of {log}:\n{tail}"
        if code != 0:
            return (
                f"{spec.name} exited with {code}; last lines of {log}:\n{self.sup.tail(spec.name)}"
            )
        return None

    def _start(self, spec: ProcessSpec) -> None:
        if self.sup.pid(spec.name) is not None:
            return
        self.sup.start(spec)
        self.started.append(spec.name)
        self.say(f"stack: {spec.name} started (pid {self.sup.pid(spec.name)})")

    async def _wait_ready(self, specs: list[ProcessSpec], deadline: float) -> None:
        pending = list(specs)
        while pending:
            for spec in list(pending):
                code = self.sup.exited(spec.name)
                if code is not None or self.sup.pid(spec.name) is None:
                    raise StackError(
                        f"{spec.name} exited with {code} while starting; last lines of "
                        f"{self.sup.log_file(spec.name)}:\n{self.sup.tail(spec.name)}"
                    )
                if spec.ready is None or await spec.ready():
                    pending.remove(spec)
                    self.say(f"stack: {spec.name} ready")
                    if spec.after_ready is not None:
                        await spec.after_ready()
            if pending and time.monotonic() >= deadline:
                names = ", ".join(s.name for s in pending)
                tails = "\n".join(
                    f"--- {s.name} ({self.sup.log_file(s.name)}):\n{self.sup.tail(s.name)}"
                    for s in pending
                )
                raise StackError(f"not ready before the deadline: {names}\n{tails}")
            if pending:
                await asyncio.sleep(0.2)

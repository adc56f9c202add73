"""Perform one scheduled fault against the embedded stack and say what it did.

    nemesis = Nemesis(deployment, shop, since=started, seed=42)
    said = await nemesis.perform(Fault(12.0, "kill", "payment-work"))
    # "killed pid 4711; back as pid 4790, ready after 1.4s"

Everything goes through what an operator has: signals to the stack's own processes (by
the runner's pid files), the runner's stop and start, the admin fault routes, plain Kafka
clients and the reconciliation API. Blocking process control runs on a thread, so the
checkouts keep flowing meanwhile. A nemesis that fails says so; it never stops the run.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import datetime

from shop_e2e.broker import produce_raw, read_topic
from shop_e2e.deployment import Deployment, ProcessControl
from shop_e2e.shop import Shop

from shop_chaos.schedule import DEPENDENCIES, Fault

READY_WITHIN = 300.0  # a restart on a 2-core machine others load too (measured past 90 s)


class Nemesis:
    def __init__(self, deployment: Deployment, shop: Shop, *, since: datetime, seed: int) -> None:
        if not isinstance(deployment.control, ProcessControl):
            raise RuntimeError("chaos needs the embedded stack's process control")
        self.control = deployment.control
        self.bootstrap = deployment.kafka_bootstrap_servers
        self.shop, self.since, self.seed = shop, since, seed

    async def perform(self, fault: Fault) -> str:
        act: Callable[[Fault], Awaitable[str]] = getattr(self, "_" + fault.kind.replace("-", "_"))
        try:
            return await act(fault)
        except Exception as exc:  # a failed nemesis is part of the report, not the end
            return f"FAILED: {exc!r}"

    async def _kill(self, fault: Fault) -> str:
        killed = await asyncio.to_thread(self.control.kill, fault.target)
        back = await self._ready_after(fault.target)
        return f"killed pid {killed}; back as pid {self.control.pid(fault.target)}, {back}"

    async def _pause(self, fault: Fault) -> str:
        pid = self.control.pid(fault.target)
        if pid is None:
            return f"{fault.target} was not running"
        os.kill(pid, signal.SIGSTOP)
        try:
            await asyncio.sleep(fault.seconds)
        finally:
            os.kill(pid, signal.SIGCONT)
        return f"paused pid {pid} for {fault.seconds:.1f}s"

    async def _latency(self, fault: Fault) -> str:
        await self.shop.set_faults(fault.target, latency_ms=fault.size)
        try:
            await asyncio.sleep(fault.seconds)
        finally:
            await self.shop.clear_faults(fault.target)
        return f"{fault.size} ms on every {fault.target} request for {fault.seconds:.1f}s"

    async def _refuse(self, fault: Fault) -> str:
        await self.shop.set_faults(fault.target, refuse=True)
        try:
            await asyncio.sleep(fault.seconds)
        finally:
            await self.shop.clear_faults(fault.target)
        return f"{fault.target} refused for {fault.seconds:.1f}s"

    async def _duplicates(self, fault: Fault) -> str:
        """Re-publish a range of a topic's records, so the real groups see them twice."""
        # Checkouts keep writing to the topic: read what it held when the fault began.
        records = await read_topic(self.bootstrap, fault.target, upto_end=True)
        if not records:
            return f"{fault.target} was empty"
        rng = random.Random(f"{self.seed}:{fault.at}")
        partition = rng.choice(sorted({r.partition for r in records}))
        log = [r for r in records if r.partition == partition]
        start = rng.randrange(max(1, len(log) - fault.size + 1))
        picked = log[start : start + fault.size]
        for record in picked:
            await produce_raw(
                self.bootstrap,
                fault.target,
                record.value or b"",
                key=record.key or b"",
                partition=partition,
                headers=list(record.headers.items()),
            )
        first, last = picked[0].offset, picked[-1].offset
        return f"re-published offsets {first}..{last} of partition {partition} ({len(picked)})"

    async def _smtp_down(self, fault: Fault) -> str:
        return await self._down_for("smtp", fault.seconds)

    async def _broker_restart(self, fault: Fault) -> str:
        return await self._down_for("broker", fault.seconds)

    async def _postgres_restart(self, fault: Fault) -> str:
        return await self._down_for("postgres", fault.seconds)

    async def _reconcile(self, fault: Fault) -> str:
        run = await self.shop.reconcile(self.since)
        found = Counter(f["kind"] for f in run["findings"])
        return f"run {run['run_id']}: {dict(found) or 'no findings'}"

    async def _down_for(self, name: str, seconds: float) -> str:
        await asyncio.to_thread(self.control.stop, name)
        await asyncio.sleep(seconds)
        started = time.monotonic()
        await self.control.start(name, within=READY_WITHIN)
        return f"{name} down {seconds:.1f}s; ready {time.monotonic() - started:.1f}s after start"

    async def _ready_after(self, name: str) -> str:
        started = time.monotonic()
        await self.ready(name)
        return f"ready after {time.monotonic() - started:.1f}s"

    async def ready(self, name: str) -> None:
        """Wait until `name` is back and ready (the watchdog restarts what was killed)."""

        deadline = time.monotonic() + READY_WITHIN
        while not await self.control.ready(name):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{name} not ready {READY_WITHIN:.0f}s after a fault")
            await asyncio.sleep(0.2)

    async def heal(self) -> list[str]:
        """End every fault still in force: faults cleared, every process running and ready."""
        notes = []
        for service in DEPENDENCIES:
            try:
                await self.shop.clear_faults(service)
            except Exception as exc:
                notes.append(f"clearing faults on {service} failed: {exc!r}")
        for name in ("postgres", "broker", "smtp"):
            try:
                await self.control.start(name, within=READY_WITHIN)
            except Exception as exc:
                notes.append(f"starting {name} failed: {exc!r}")
        return notes

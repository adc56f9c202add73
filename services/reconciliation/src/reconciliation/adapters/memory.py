"""In-memory run store and lock: for the benchmark and the unit tests, never production.

    store, lock = InMemoryRunStore(), LocalRunLock()

Same contracts as `application.run_records.RunRecords` and `adapters.runs.AdvisoryRunLock`,
within one process.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace

from shop_servicekit import new_id

from reconciliation.domain.errors import RunInProgress
from reconciliation.domain.runs import Run


class InMemoryRunStore:
    def __init__(self) -> None:
        self.runs: dict[str, Run] = {}

    async def start(self, run: Run) -> None:
        self.runs[run.id] = run

    async def finish(self, run: Run) -> Run:
        recorded = replace(run, findings=[replace(f, id=new_id("fnd")) for f in run.findings])
        self.runs[run.id] = recorded
        return recorded

    async def get(self, run_id: str) -> Run | None:
        return self.runs.get(run_id)

    async def latest(self, limit: int) -> Sequence[Run]:
        newest = sorted(self.runs.values(), key=lambda r: r.started_at, reverse=True)
        return [replace(run, findings=()) for run in newest[:limit]]


class LocalRunLock:
    def __init__(self) -> None:
        self._lock = asyncio.Lock()

    @asynccontextmanager
    async def hold(self) -> AsyncIterator[None]:
        if self._lock.locked():
            raise RunInProgress()
        async with self._lock:
            yield


class NoMetrics:
    def run_finished(self, run: Run) -> None:
        pass

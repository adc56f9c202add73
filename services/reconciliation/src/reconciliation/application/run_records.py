"""The job's run store over this service's own database: each call one transaction.

    records = RunRecords(db.sessions, clock=utc_now)
    await records.start(run); finished = await records.finish(run)

It implements `ports.RunStore` (the in-memory `adapters.memory.InMemoryRunStore` is the
other one, for the unit tests and the benchmark); the SQL is `adapters.runs`'.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from shop_servicekit import Clock, new_id
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from reconciliation.adapters import runs
from reconciliation.domain.runs import Run


class RunRecords:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], *, clock: Clock) -> None:
        self.sessions = sessions
        self.clock = clock

    async def start(self, run: Run) -> None:
        async with self.sessions.begin() as session:
            await runs.add_run(session, run)

    async def finish(self, run: Run) -> Run:
        """Record the run's outcome and its findings, which get their ids here."""
        recorded = [replace(f, id=new_id("fnd")) for f in run.findings]
        async with self.sessions.begin() as session:
            await runs.save_outcome(session, run, recorded, self.clock())
        return replace(run, findings=recorded)

    async def get(self, run_id: str) -> Run | None:
        async with self.sessions() as session:
            return await runs.get_run(session, run_id)

    async def latest(self, limit: int) -> Sequence[Run]:
        async with self.sessions() as session:
            return await runs.latest_runs(session, limit)

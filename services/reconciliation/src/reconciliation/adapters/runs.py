"""Reconciliation runs and their findings in PostgreSQL, and the lock repairing runs share.

    async with sessions.begin() as session:      # the caller's transaction
        await add_run(session, run)
    async with AdvisoryRunLock(db.engine).hold():   # RunInProgress if another process holds it
        ...

The run functions take the caller's session (`application.run_records` owns the
transactions). The lock is not a transaction: it holds a connection of its own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from reconciliation.adapters.tables import findings, reconciliation_runs
from reconciliation.domain.errors import RunInProgress
from reconciliation.domain.findings import Action, Finding, Kind, Repair
from reconciliation.domain.runs import FindingStatus, Run, RunStatus, SettledFinding, Trigger

# pg_advisory_lock's key for "a repairing run is under way": any fixed bigint, the same in
# every process of the service (the API's, the worker's schedule, the CLI).
RUN_LOCK_KEY = 0x7265636F6E63696C  # "reconcil"


class AdvisoryRunLock:
    """A session-level advisory lock on a connection of its own, held for a whole run.

    If the process dies, PostgreSQL drops the connection and the lock with it: a crashed
    run never blocks the next one.
    """

    def __init__(self, engine: AsyncEngine, key: int = RUN_LOCK_KEY) -> None:
        self.engine = engine
        self.key = key

    @asynccontextmanager
    async def hold(self) -> AsyncIterator[None]:
        async with self.engine.connect() as connection:
            taken = await connection.scalar(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}
            )
            await connection.commit()
            if not taken:
                raise RunInProgress()
            try:
                yield
            finally:
                try:
                    await connection.execute(
                        text("SELECT pg_advisory_unlock(:key)"), {"key": self.key}
                    )
                    await connection.commit()
                except BaseException:
                    # Never hand a connection that may still hold the lock back to the
                    # pool: closing it is what releases the lock for certain.
                    await connection.invalidate()
                    raise


async def add_run(session: AsyncSession, run: Run) -> None:
    await session.execute(
        reconciliation_runs.insert().values(
            id=run.id,
            trigger=run.trigger.value,
            dry_run=run.dry_run,
            since=run.since,
            until=run.until,
            started_at=run.started_at,
            status=run.status.value,
        )
    )


async def save_outcome(
    session: AsyncSession, run: Run, recorded: Sequence[SettledFinding], created_at: datetime
) -> None:
    """The run's status, summary and error, and its findings (which carry their ids)."""
    await session.execute(
        reconciliation_runs.update()
        .where(reconciliation_runs.c.id == run.id)
        .values(
            status=run.status.value,
            finished_at=run.finished_at,
            summary=dict(run.summary),
            error=run.error,
        )
    )
    if recorded:
        await session.execute(
            findings.insert(), [_finding_row(run.id, f, created_at) for f in recorded]
        )


async def get_run(session: AsyncSession, run_id: str) -> Run | None:
    """The run with its findings."""
    row = (
        await session.execute(select(reconciliation_runs).where(reconciliation_runs.c.id == run_id))
    ).one_or_none()
    if row is None:
        return None
    rows = (
        await session.execute(
            select(findings)
            .where(findings.c.run_id == run_id)
            .order_by(findings.c.order_id, findings.c.kind, findings.c.id)
        )
    ).all()
    return replace(_run(row), findings=[_finding(r) for r in rows])


async def latest_runs(session: AsyncSession, limit: int) -> list[Run]:
    """The newest runs first, without their findings."""
    rows = (
        await session.execute(
            select(reconciliation_runs)
            .order_by(reconciliation_runs.c.started_at.desc(), reconciliation_runs.c.id)
            .limit(limit)
        )
    ).all()
    return [_run(row) for row in rows]


def _finding_row(run_id: str, settled: SettledFinding, created_at: datetime) -> dict[str, Any]:
    finding = settled.finding
    return {
        "id": settled.id,
        "run_id": run_id,
        "order_id": finding.order_id,
        "kind": finding.kind.value,
        "detail": finding.detail,
        "evidence": dict(finding.evidence),
        "repair": None if finding.repair is None else finding.repair.action.value,
        "repair_params": None if finding.repair is None else dict(finding.repair.params),
        "status": settled.status.value,
        "error": settled.error,
        "created_at": created_at,
    }


def _run(row: Any) -> Run:
    return Run(
        id=row.id,
        trigger=Trigger(row.trigger),
        dry_run=row.dry_run,
        since=row.since,
        until=row.until,
        started_at=row.started_at,
        status=RunStatus(row.status),
        finished_at=row.finished_at,
        summary=row.summary or {},
        error=row.error,
    )


def _finding(row: Any) -> SettledFinding:
    repair = (
        None
        if row.repair is None
        else Repair(Action(row.repair), row.order_id, row.repair_params or {})
    )
    finding = Finding(Kind(row.kind), row.order_id, row.detail, row.evidence, repair)
    return SettledFinding(finding, FindingStatus(row.status), row.error, row.id)

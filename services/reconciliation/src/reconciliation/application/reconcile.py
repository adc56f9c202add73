"""The reconciliation job: read every source of truth, compare, repair, record the run.

    run = await reconcile(job, since=now - timedelta(hours=24), dry_run=False,
                          trigger=Trigger.CLI)
    run.status, run.summary["by_kind"], run.findings

Safe to repeat: every repair command is idempotent on its owner, and a repaired drift is
no longer drift on the next read. Two runs never repair at once: a repairing run holds
`job.lock` from its first read to its last repair (a run that compared while another was
repairing would act on stale facts), and a second one is refused with RunInProgress
rather than queued (a queued run would only find what the first one just repaired). Dry
runs change nothing and take no lock.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from shop_servicekit import Clock, new_id

from reconciliation.application.ports import (
    Repairs,
    RunLock,
    RunObserver,
    RunStore,
    Sources,
)
from reconciliation.domain.drift import find_drift
from reconciliation.domain.errors import SourceUnavailable
from reconciliation.domain.findings import Finding, Policy, Window
from reconciliation.domain.runs import (
    Run,
    RunStatus,
    SettledFinding,
    Trigger,
    settle,
    summarize,
)

log = logging.getLogger(__name__)

# Reads start this long before `since`: a checkout reserves and authorizes a moment before
# it stores the order, so an order made just after `since` has its hold just before it.
READ_MARGIN = timedelta(minutes=10)


class InvalidWindow(ValueError):
    pass


@dataclass(frozen=True)
class Job:
    sources: Sources
    repairs: Repairs
    runs: RunStore
    lock: RunLock
    observer: RunObserver
    policy: Policy
    # Read when a run starts and when it finishes (a run takes time; both are recorded).
    clock: Clock
    new_run_id: Callable[[], str] = field(default=lambda: new_id("run"))
    # Durations only (monotonic seconds), never a moment.
    timer: Callable[[], float] = time.monotonic


async def reconcile(
    job: Job,
    *,
    since: datetime,
    until: datetime | None = None,
    dry_run: bool,
    trigger: Trigger,
) -> Run:
    """Run the job once over rows created in [since, until or now); the recorded run."""
    started_at = job.clock()
    end = until or started_at
    if since >= end:
        raise InvalidWindow(f"since ({since.isoformat()}) must be before until ({end.isoformat()})")
    guard: AbstractAsyncContextManager[None] = nullcontext() if dry_run else job.lock.hold()
    async with guard:
        run = Run(job.new_run_id(), trigger, dry_run, since, until, started_at)
        await job.runs.start(run)
        try:
            finished = await _run(job, run, Window(since, end))
        except BaseException as exc:
            await _record_failure(job, run, f"{type(exc).__name__}: {exc}")
            raise
    job.observer.run_finished(finished)
    return finished


async def _run(job: Job, run: Run, window: Window) -> Run:
    began = job.timer()
    try:
        # Up to the run's start, not `until`: later rows are not settled facts yet anyway.
        reading = await job.sources.read(Window(window.since - READ_MARGIN, run.started_at))
    except SourceUnavailable as exc:
        log.error("reconciliation run %s failed: %s", run.id, exc, extra={"run_id": run.id})
        seconds = job.timer() - began
        failed = replace(
            run,
            status=RunStatus.FAILED,
            finished_at=job.clock(),
            error=str(exc),
            summary={"duration_seconds": round(seconds, 3)},
        )
        return await job.runs.finish(failed)

    findings = find_drift(reading.snapshot, window=window, now=run.started_at, policy=job.policy)
    settled = [await _settle(job, finding, dry_run=run.dry_run) for finding in findings]
    summary = summarize(
        settled, read=reading.rows, pages=reading.pages, seconds=job.timer() - began
    )
    log.info(
        "reconciliation run %s: %s findings, %s repaired, %s open",
        run.id,
        summary["findings"],
        summary["repaired"],
        summary["open"],
        extra={"run_id": run.id, "dry_run": run.dry_run},
    )
    done = replace(
        run, status=RunStatus.SUCCEEDED, finished_at=job.clock(), summary=summary, findings=settled
    )
    return await job.runs.finish(done)


async def _settle(job: Job, finding: Finding, *, dry_run: bool) -> SettledFinding:
    error = None
    if finding.repair is not None and not dry_run:
        error = await job.repairs.execute(finding.repair)
    settled = settle(finding, dry_run=dry_run, error=error)
    log.info(
        "%s %s: %s -> %s",
        finding.kind.value,
        finding.order_id,
        finding.detail,
        settled.status.value,
        extra={"order_id": finding.order_id, "kind": finding.kind.value, "error": settled.error},
    )
    return settled


async def _record_failure(job: Job, run: Run, error: str) -> None:
    """Best effort: a run that died of something unexpected is not left RUNNING."""
    try:
        await job.runs.finish(
            replace(run, status=RunStatus.FAILED, finished_at=job.clock(), error=error[:2000])
        )
    except Exception:
        log.exception("could not record the failure of run %s", run.id)

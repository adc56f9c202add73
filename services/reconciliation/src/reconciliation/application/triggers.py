"""How a run is asked for: a window as people write it (the API, the CLI), and the
schedule's pass over the recent past (the worker, through `shop_servicekit.periodic`).

    run = await reconcile_between(job, since="24h", until=None, dry_run=True,
                                  trigger=Trigger.CLI)
"""

from __future__ import annotations

import logging
from datetime import timedelta

from reconciliation.application.reconcile import Job, reconcile
from reconciliation.domain.errors import RunInProgress
from reconciliation.domain.moments import moment
from reconciliation.domain.runs import Run, Trigger

log = logging.getLogger(__name__)


async def reconcile_between(
    job: Job, *, since: str, until: str | None, dry_run: bool, trigger: Trigger
) -> Run:
    """Run the job over `since` .. `until` (ISO 8601 with an offset, or a span back from
    now: "90s", "15m", "24h", "7d"; `until` None is now).

    Raises InvalidMoment or InvalidWindow for a window that is not one, RunInProgress
    when another run is repairing (and this one would repair).
    """
    at = job.clock()
    start = moment(since, at)
    end = None if until is None else moment(until, at)
    return await reconcile(job, since=start, until=end, dry_run=dry_run, trigger=trigger)


async def reconcile_recent(job: Job, *, window: timedelta) -> int:
    """The schedule's step: one repairing run over the last `window`; how many findings.

    A run refused because another is repairing (the API's, the CLI's) is skipped: the next
    pass repeats whatever this one would have found.
    """
    try:
        run = await reconcile(
            job, since=job.clock() - window, dry_run=False, trigger=Trigger.SCHEDULE
        )
    except RunInProgress:
        log.info("scheduled reconciliation skipped: another run is repairing")
        return 0
    return len(run.findings)

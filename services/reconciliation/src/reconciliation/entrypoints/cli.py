"""`python -m reconciliation reconcile`: run the job once from a terminal, a script or CI.

    python -m reconciliation reconcile --since 24h
    python -m reconciliation reconcile --since 2026-11-21T00:00:00Z --until 1h --dry-run --json

It uses the service's own settings (RECONCILIATION_* env vars; the defaults reach the
embedded stack of `make up`: `bootstrap.reconcile_command` builds the job from them and
calls `main`), records the run like any other, prints the report on stdout (logs go to
stderr) and exits with:

    0  no drift left: nothing found, or everything found was repaired
    1  drift left: a finding is OPEN (or, on a dry run, would be repaired)
    2  usage error (a bad option or window)
    3  the run FAILED: a source of truth could not be read
    4  refused: another run is repairing right now
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager

from reconciliation.application.reconcile import InvalidWindow, Job
from reconciliation.application.triggers import reconcile_between
from reconciliation.domain.errors import RunInProgress
from reconciliation.domain.moments import InvalidMoment
from reconciliation.domain.runs import Run, RunStatus, Trigger
from reconciliation.entrypoints.report import render_json, render_text

NO_DRIFT, DRIFT_LEFT, USAGE, RUN_FAILED, IN_PROGRESS = 0, 1, 2, 3, 4

OpenJob = Callable[[], AbstractAsyncContextManager[Job]]
"""The job, built on entry and closed on exit (its clients, its database)."""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m reconciliation reconcile",
        description="Compare every service's source of truth and repair the drift.",
    )
    p.add_argument(
        "--since",
        default="24h",
        help="start of the window: ISO 8601 with offset, or a span back (90s, 15m, 24h, 7d)",
    )
    p.add_argument("--until", help="end of the window (same forms; default: now)")
    p.add_argument("--dry-run", action="store_true", help="report the drift, repair nothing")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    return p


def exit_code(run: Run) -> int:
    if run.status is not RunStatus.SUCCEEDED:
        return RUN_FAILED
    return DRIFT_LEFT if run.drift_left else NO_DRIFT


async def run_command(open_job: OpenJob, args: argparse.Namespace) -> int:
    async with open_job() as job:
        try:
            run = await reconcile_between(
                job, since=args.since, until=args.until, dry_run=args.dry_run, trigger=Trigger.CLI
            )
        except (InvalidMoment, InvalidWindow) as exc:
            print(f"reconcile: {exc}", file=sys.stderr)
            return USAGE
        except RunInProgress as exc:
            print(f"reconcile: {exc}", file=sys.stderr)
            return IN_PROGRESS
    print(render_json(run) if args.json else render_text(run))
    return exit_code(run)


def main(argv: Sequence[str], *, open_job: OpenJob) -> int:
    """Parse `argv`, run the job once, print the report; the exit code. Logging is the
    caller's to configure; the report owns stdout, so logs are moved to stderr."""
    args = parser().parse_args(argv)
    # The report owns stdout, so a pipe into jq gets JSON and nothing else.
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(sys.stderr)
    return asyncio.run(run_command(open_job, args))

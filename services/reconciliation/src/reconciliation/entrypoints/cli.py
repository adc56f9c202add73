"""`python -m reconciliation reconcile`: run the job once from a terminal, a script or CI.

    python -m reconciliation reconcile --since 24h
    python -m reconciliation reconcile --since 2026-11-21T00:00:00Z --until 1h --dry-run --json

It uses the service's own settings (RECONCILIATION_* env vars; the defaults reach the
embedded stack of `make up`), records the run like any other, prints the report on stdout
(logs go to stderr) and exits with:

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
from collections.abc import Sequence

from prometheus_client import CollectorRegistry
from shop_servicekit import Database
from shop_telemetry import configure_logging

from reconciliation.application.ports import RunInProgress
from reconciliation.application.reconcile import InvalidWindow, reconcile
from reconciliation.bootstrap import build_job, utc_now
from reconciliation.domain.moments import InvalidMoment, moment
from reconciliation.domain.runs import Run, RunStatus, Trigger
from reconciliation.entrypoints.report import render_json, render_text
from reconciliation.settings import ReconciliationSettings

NO_DRIFT, DRIFT_LEFT, USAGE, RUN_FAILED, IN_PROGRESS = 0, 1, 2, 3, 4


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


async def run_command(settings: ReconciliationSettings, args: argparse.Namespace) -> int:
    now = utc_now()
    try:
        since = moment(args.since, now)
        until = None if args.until is None else moment(args.until, now)
    except InvalidMoment as exc:
        print(f"reconcile: {exc}", file=sys.stderr)
        return USAGE
    db = Database(settings.database_url, pool_size=2)
    parts = build_job(settings, db, CollectorRegistry())
    try:
        run = await reconcile(
            parts.job, since=since, until=until, dry_run=args.dry_run, trigger=Trigger.CLI
        )
    except InvalidWindow as exc:
        print(f"reconcile: {exc}", file=sys.stderr)
        return USAGE
    except RunInProgress as exc:
        print(f"reconcile: {exc}", file=sys.stderr)
        return IN_PROGRESS
    finally:
        await parts.close()
        await db.dispose()
    print(render_json(run) if args.json else render_text(run))
    return exit_code(run)


def main(argv: Sequence[str]) -> int:
    args = parser().parse_args(argv)
    settings = ReconciliationSettings()
    configure_logging(
        service="reconciliation-reconcile",
        level=settings.log_level,
        json_format=settings.log_format == "json",
    )
    # The report owns stdout, so a pipe into jq gets JSON and nothing else.
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(sys.stderr)
    return asyncio.run(run_command(settings, args))

"""The report of a run, in JSON and in text: the one place a run is rendered.

    RunView.of(run)        # the API's answer (and `--json`'s)
    render_text(run)      # what `python -m reconciliation reconcile` prints

JSON carries everything recorded (evidence included); text is for a person at a terminal:
the window, what was read, the counts, then one block per finding, OPEN ones first.
Neither shows an email address: a resend's recipient is kept with the run for the repair,
and rendered as `(redacted)` (docs/adr, the data minimisation ADR).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from reconciliation.domain.runs import FindingStatus, Run, SettledFinding

PERSONAL_KEYS = frozenset({"email"})


def redacted(params: Mapping[str, Any]) -> dict[str, Any]:
    """`params` with every personal value (at any depth) replaced by "(redacted)"."""
    return {
        key: "(redacted)"
        if key in PERSONAL_KEYS
        else redacted(value)
        if isinstance(value, Mapping)
        else value
        for key, value in params.items()
    }


class RepairView(BaseModel):
    action: str
    params: dict[str, Any]


class FindingView(BaseModel):
    finding_id: str | None
    kind: str
    order_id: str
    status: str
    detail: str
    repair: RepairView | None
    error: str | None
    evidence: dict[str, Any]

    @classmethod
    def of(cls, settled: SettledFinding) -> FindingView:
        finding = settled.finding
        repair = finding.repair
        return cls(
            finding_id=settled.id,
            kind=finding.kind.value,
            order_id=finding.order_id,
            status=settled.status.value,
            detail=finding.detail,
            repair=None
            if repair is None
            else RepairView(action=repair.action.value, params=redacted(repair.params)),
            error=settled.error,
            evidence=dict(finding.evidence),
        )


class RunView(BaseModel):
    run_id: str
    status: str
    trigger: str
    dry_run: bool
    since: datetime
    until: datetime | None
    started_at: datetime
    finished_at: datetime | None
    summary: dict[str, Any]
    error: str | None
    findings: list[FindingView] | None  # None in run listings

    @classmethod
    def of(cls, run: Run, *, with_findings: bool = True) -> RunView:
        return cls(
            run_id=run.id,
            status=run.status.value,
            trigger=run.trigger.value,
            dry_run=run.dry_run,
            since=run.since,
            until=run.until,
            started_at=run.started_at,
            finished_at=run.finished_at,
            summary=dict(run.summary),
            error=run.error,
            findings=[FindingView.of(f) for f in run.findings] if with_findings else None,
        )


class RunListView(BaseModel):
    runs: list[RunView]


def render_json(run: Run) -> str:
    return json.dumps(RunView.of(run).model_dump(mode="json"), indent=2)


_ORDER = {FindingStatus.OPEN: 0, FindingStatus.DRY_RUN: 1, FindingStatus.REPAIRED: 2}


def render_text(run: Run) -> str:
    mode = "dry run" if run.dry_run else "repairing"
    until = run.until.isoformat() if run.until else f"{run.started_at.isoformat()} (run start)"
    lines = [
        f"Reconciliation run {run.id}: {run.status.value} ({mode}, {run.trigger.value})",
        f"  window   {run.since.isoformat()} .. {until}",
    ]
    if run.error:
        lines.append(f"  error    {run.error}")
    summary = run.summary
    read = summary.get("read")
    if isinstance(read, dict) and read:
        counts = ", ".join(f"{name} {count}" for name, count in read.items())
        lines.append(f"  read     {counts} ({summary.get('pages', 0)} pages)")
    if "duration_seconds" in summary:
        lines.append(f"  took     {summary['duration_seconds']} s")
    by_status = summary.get("by_status")
    if isinstance(by_status, dict):
        statuses = ", ".join(f"{count} {status}" for status, count in by_status.items())
        lines.append(f"  findings {len(run.findings)}" + (f": {statuses}" if statuses else ""))
    by_kind = summary.get("by_kind")
    if isinstance(by_kind, dict) and by_kind:
        lines.append("  by kind  " + ", ".join(f"{kind} {n}" for kind, n in by_kind.items()))
    for settled in sorted(run.findings, key=lambda f: _ORDER[f.status]):
        lines.extend(_finding_lines(settled))
    if run.status.value == "SUCCEEDED" and not run.findings:
        lines.append("  no drift found")
    return "\n".join(lines)


def _finding_lines(settled: SettledFinding) -> list[str]:
    finding = settled.finding
    lines = [
        "",
        f"  {settled.status.value:<9} {finding.kind.value:<27} {finding.order_id}",
        f"            {finding.detail}",
    ]
    if finding.repair is not None:
        shown = redacted(finding.repair.params)
        params = f" {json.dumps(shown)}" if shown else ""
        lines.append(f"            repair: {finding.repair.action.value}{params}")
    if settled.error:
        lines.append(f"            left open: {settled.error}")
    return lines

"""A reconciliation run and what became of each of its findings.

    outcome = settle(finding, dry_run=False, repaired=True)      # -> FindingStatus.REPAIRED
    summary = summarize(findings, read_counts, pages, seconds)

A finding is REPAIRED once its owner accepted the repair command, DRY_RUN when a dry run
only reports it, OPEN otherwise (no safe repair, or the owner refused or was unreachable:
then `error` says why). A run is SUCCEEDED when it read every source and settled every
finding, whatever they were; FAILED when it could not read a source (then it judged nothing).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from reconciliation.domain.findings import Finding, Kind


class FindingStatus(StrEnum):
    OPEN = "OPEN"
    REPAIRED = "REPAIRED"
    DRY_RUN = "DRY_RUN"


class RunStatus(StrEnum):
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


class Trigger(StrEnum):
    CLI = "cli"
    API = "api"
    SCHEDULE = "schedule"


@dataclass(frozen=True)
class SettledFinding:
    finding: Finding
    status: FindingStatus
    error: str | None = None
    id: str | None = None  # assigned when recorded


@dataclass(frozen=True)
class Run:
    id: str
    trigger: Trigger
    dry_run: bool
    since: datetime
    until: datetime | None  # None: up to the moment the run started
    started_at: datetime
    status: RunStatus = RunStatus.RUNNING
    finished_at: datetime | None = None
    summary: Mapping[str, object] = field(default_factory=dict)
    error: str | None = None
    findings: Sequence[SettledFinding] = ()

    @property
    def open_findings(self) -> int:
        return sum(1 for f in self.findings if f.status is FindingStatus.OPEN)

    @property
    def drift_left(self) -> bool:
        """Anything a person (or a later run) still has to deal with."""
        return self.status is not RunStatus.SUCCEEDED or any(
            f.status is not FindingStatus.REPAIRED for f in self.findings
        )


def settle(finding: Finding, *, dry_run: bool, error: str | None = None) -> SettledFinding:
    """The status of a finding once its repair was (or was not) attempted.

    `error` is None when the repair was accepted (or not attempted on a dry run).
    """
    if finding.repair is None:
        return SettledFinding(finding, FindingStatus.OPEN, "no safe automatic repair")
    if dry_run:
        return SettledFinding(finding, FindingStatus.DRY_RUN)
    if error is not None:
        return SettledFinding(finding, FindingStatus.OPEN, error)
    return SettledFinding(finding, FindingStatus.REPAIRED)


def summarize(
    findings: Sequence[SettledFinding],
    *,
    read: Mapping[str, int],
    pages: int,
    seconds: float,
) -> dict[str, object]:
    by_kind = Counter(f.finding.kind.value for f in findings)
    by_status = Counter(f.status.value for f in findings)
    return {
        "findings": len(findings),
        "by_kind": {kind.value: by_kind[kind.value] for kind in Kind if by_kind[kind.value]},
        "by_status": {s.value: by_status[s.value] for s in FindingStatus if by_status[s.value]},
        "open": by_status[FindingStatus.OPEN.value],
        "repaired": by_status[FindingStatus.REPAIRED.value],
        "read": dict(read),
        "pages": pages,
        "duration_seconds": round(seconds, 3),
    }

"""Prometheus metrics of reconciliation runs, on the registry of the process that runs them.

metrics = RunMetrics(registry)      # the API's registry, or the worker's
metrics.run_finished(run)           # the job calls it once per run
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from reconciliation.domain.findings import Kind
from reconciliation.domain.runs import FindingStatus, Run, RunStatus


class RunMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.runs = Counter(
            "reconciliation_runs_total",
            "Reconciliation runs, by how they ended and who started them",
            ["status", "trigger", "dry_run"],
            registry=registry,
        )
        self.duration = Histogram(
            "reconciliation_run_duration_seconds",
            "Time from a run's start to its last repair",
            ["trigger"],
            registry=registry,
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
        )
        self.findings = Counter(
            "reconciliation_findings_total",
            "Findings, by kind and the status they ended in",
            ["kind", "status"],
            registry=registry,
        )
        self.repairs = Counter(
            "reconciliation_repairs_total",
            "Repair commands sent, by kind of finding and outcome (repaired or failed)",
            ["kind", "outcome"],
            registry=registry,
        )
        self.open = Gauge(
            "reconciliation_open_findings",
            "Findings left OPEN by the latest completed repairing run, by kind",
            ["kind"],
            registry=registry,
        )
        for kind in Kind:
            self.open.labels(kind.value).set(0)

    def run_finished(self, run: Run) -> None:
        self.runs.labels(run.status.value, run.trigger.value, str(run.dry_run).lower()).inc()
        seconds = run.summary.get("duration_seconds")
        if isinstance(seconds, int | float):
            self.duration.labels(run.trigger.value).observe(seconds)
        if run.status is not RunStatus.SUCCEEDED:
            return
        open_by_kind = dict.fromkeys(Kind, 0)
        for settled in run.findings:
            kind = settled.finding.kind
            self.findings.labels(kind.value, settled.status.value).inc()
            if settled.status is FindingStatus.OPEN:
                open_by_kind[kind] += 1
            attempted = settled.finding.repair is not None and not run.dry_run
            if attempted:
                outcome = "repaired" if settled.status is FindingStatus.REPAIRED else "failed"
                self.repairs.labels(kind.value, outcome).inc()
        if not run.dry_run:  # a dry run leaves what it found as it was
            for kind, count in open_by_kind.items():
                self.open.labels(kind.value).set(count)

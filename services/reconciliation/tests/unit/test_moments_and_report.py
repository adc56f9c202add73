"""Typed moments, run summaries and the text report."""

from datetime import UTC, datetime, timedelta

import pytest
from reconciliation.domain.findings import Action, Finding, Kind, Repair
from reconciliation.domain.moments import InvalidMoment, moment
from reconciliation.domain.runs import FindingStatus, Run, RunStatus, Trigger, settle, summarize
from reconciliation.entrypoints.report import RunView, render_json, render_text

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90s", NOW - timedelta(seconds=90)),
        ("15m", NOW - timedelta(minutes=15)),
        ("24h", NOW - timedelta(hours=24)),
        ("7d", NOW - timedelta(days=7)),
        ("2026-11-20T10:00:00Z", datetime(2026, 11, 20, 10, 0, tzinfo=UTC)),
        ("2026-11-20T11:00:00+01:00", datetime(2026, 11, 20, 10, 0, tzinfo=UTC)),
    ],
)
def test_a_moment_is_a_span_back_from_now_or_an_iso_time(text: str, expected: datetime) -> None:
    assert moment(text, NOW) == expected


@pytest.mark.parametrize("text", ["yesterday", "24", "2026-11-20T10:00:00", "-5m"])
def test_anything_else_is_not_a_moment(text: str) -> None:
    with pytest.raises(InvalidMoment):
        moment(text, NOW)


def finding(kind: Kind = Kind.PAYMENT_NOT_CAPTURED, repair: bool = True) -> Finding:
    return Finding(
        kind,
        "ord_1",
        "shipped, but the payment is AUTHORIZED 5m after the capture deadline",
        {"payment": {"authorizations": []}},
        Repair(Action.CAPTURE_PAYMENT, "ord_1") if repair else None,
    )


def test_a_finding_without_a_repair_stays_open_even_on_a_dry_run() -> None:
    settled = settle(finding(Kind.UNCLASSIFIED, repair=False), dry_run=True)
    assert (settled.status, settled.error) == (FindingStatus.OPEN, "no safe automatic repair")
    assert settle(finding(), dry_run=True).status is FindingStatus.DRY_RUN
    assert settle(finding(), dry_run=False).status is FindingStatus.REPAIRED
    assert settle(finding(), dry_run=False, error="409").status is FindingStatus.OPEN


def test_the_summary_counts_by_kind_and_status_and_keeps_what_was_read() -> None:
    settled = [
        settle(finding(), dry_run=False),
        settle(finding(), dry_run=False, error="409"),
        settle(finding(Kind.UNCLASSIFIED, repair=False), dry_run=False),
    ]
    summary = summarize(settled, read={"orders": 10}, pages=6, seconds=0.12345)
    assert summary == {
        "findings": 3,
        "by_kind": {"payment-not-captured": 2, "unclassified": 1},
        "by_status": {"OPEN": 2, "REPAIRED": 1},
        "open": 2,
        "repaired": 1,
        "read": {"orders": 10},
        "pages": 6,
        "duration_seconds": 0.123,
    }


def run_with(*findings: Finding, dry_run: bool = False) -> Run:
    settled = [settle(f, dry_run=dry_run, error="answered 409") for f in findings]
    return Run(
        "run_1",
        Trigger.CLI,
        dry_run,
        NOW - timedelta(hours=24),
        None,
        NOW,
        RunStatus.SUCCEEDED,
        NOW + timedelta(seconds=1),
        summarize(settled, read={"orders": 3}, pages=6, seconds=1.0),
        None,
        settled,
    )


def test_the_text_report_says_the_window_counts_and_each_finding_with_why_it_is_open() -> None:
    text = render_text(run_with(finding()))
    assert "Reconciliation run run_1: SUCCEEDED (repairing, cli)" in text
    assert "2026-11-20T12:00:00+00:00 .. 2026-11-21T12:00:00+00:00 (run start)" in text
    assert "read     orders 3 (6 pages)" in text
    assert "OPEN      payment-not-captured        ord_1" in text
    assert "repair: capture-payment" in text
    assert "left open: answered 409" in text


def test_a_clean_run_says_so() -> None:
    assert "no drift found" in render_text(run_with())


def test_the_json_report_is_the_apis_run_with_its_findings_and_evidence() -> None:
    run = run_with(finding(), dry_run=True)
    out = RunView.of(run)
    assert out.findings is not None
    assert out.findings[0].status == "DRY_RUN"
    assert out.findings[0].repair is not None
    assert out.findings[0].repair.action == "capture-payment"
    assert '"evidence": {' in render_json(run)

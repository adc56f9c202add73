"""The job's use case against in-memory ports: repair, record, refuse, fail honestly."""

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from reconciliation.adapters.memory import InMemoryRunStore, LocalRunLock, NoMetrics
from reconciliation.application.reconcile import READ_MARGIN, InvalidWindow, Job, reconcile
from reconciliation.domain.errors import RunInProgress, SourceUnavailable
from reconciliation.domain.findings import Action, Repair, Window
from reconciliation.domain.runs import FindingStatus, Run, RunStatus, Trigger
from reconciliation.domain.sources import Reading, Snapshot

from .world import NOW, POLICY, World, ago, completed

SINCE = NOW - timedelta(days=1)


def drifting() -> World:
    """Two findings: an uncaptured shipped order, and an orphan hold with no order."""
    world = completed()
    world.update("authorizations", "ord_1", status="AUTHORIZED", captured_at=None)
    world.update_order("ord_1", status="SHIPPED", payment_status="AUTHORIZED")
    orphan = World()
    orphan.reservations = [
        type(world.reservations[0])("res_x", "ord_x", "HELD", ago(900)),
    ]
    world.reservations.extend(orphan.reservations)
    return world


@dataclass
class FakeSources:
    snapshot: Snapshot = field(default_factory=Snapshot)
    failure: SourceUnavailable | None = None
    windows: list[Window] = field(default_factory=list)
    gate: asyncio.Event | None = None
    reading: asyncio.Event = field(default_factory=asyncio.Event)

    async def read(self, window: Window) -> Reading:
        self.windows.append(window)
        self.reading.set()
        if self.gate is not None:
            await self.gate.wait()
        if self.failure is not None:
            raise self.failure
        return Reading(self.snapshot, {"orders": len(self.snapshot.orders)}, pages=1)


@dataclass
class FakeRepairs:
    refuse: dict[Action, str] = field(default_factory=dict)
    sent: list[Repair] = field(default_factory=list)

    async def execute(self, repair: Repair) -> str | None:
        self.sent.append(repair)
        return self.refuse.get(repair.action)


@dataclass
class Observed:
    runs: list[Run] = field(default_factory=list)

    def run_finished(self, run: Run) -> None:
        self.runs.append(run)


def job(sources: FakeSources, repairs: FakeRepairs, **overrides: object) -> Job:
    parts: dict[str, object] = {
        "sources": sources,
        "repairs": repairs,
        "runs": InMemoryRunStore(),
        "lock": LocalRunLock(),
        "observer": NoMetrics(),
        "policy": POLICY,
        "clock": lambda: NOW,
    }
    parts.update(overrides)
    return Job(**parts)  # type: ignore[arg-type]


async def test_a_run_repairs_every_finding_and_records_each_as_repaired() -> None:
    repairs = FakeRepairs()
    observed = Observed()
    run = await reconcile(
        job(FakeSources(drifting().snapshot()), repairs, observer=observed),
        since=SINCE,
        dry_run=False,
        trigger=Trigger.CLI,
    )
    assert run.status is RunStatus.SUCCEEDED
    assert [(f.finding.kind.value, f.status) for f in run.findings] == [
        ("payment-not-captured", FindingStatus.REPAIRED),
        ("orphan-reservation", FindingStatus.REPAIRED),
    ]
    assert [r.action for r in repairs.sent] == [
        Action.CAPTURE_PAYMENT,
        Action.RELEASE_RESERVATION,
    ]
    assert all(f.id is not None for f in run.findings)
    assert run.summary["by_kind"] == {"orphan-reservation": 1, "payment-not-captured": 1}
    assert run.summary["repaired"] == 2
    assert not run.drift_left
    assert observed.runs == [run]


async def test_a_repair_its_owner_refuses_stays_open_with_the_reason() -> None:
    refusal = "POST payment /capture answered 409 (capture-not-possible)"
    run = await reconcile(
        job(
            FakeSources(drifting().snapshot()),
            FakeRepairs(refuse={Action.CAPTURE_PAYMENT: refusal}),
        ),
        since=SINCE,
        dry_run=False,
        trigger=Trigger.CLI,
    )
    [capture, release] = run.findings
    assert (capture.status, capture.error) == (FindingStatus.OPEN, refusal)
    assert release.status is FindingStatus.REPAIRED
    assert run.summary["open"] == 1
    assert run.drift_left


async def test_a_dry_run_repairs_nothing_and_takes_no_lock() -> None:
    repairs = FakeRepairs()
    lock = LocalRunLock()
    async with lock.hold():  # a repairing run is under way
        run = await reconcile(
            job(FakeSources(drifting().snapshot()), repairs, lock=lock),
            since=SINCE,
            dry_run=True,
            trigger=Trigger.API,
        )
    assert repairs.sent == []
    assert {f.status for f in run.findings} == {FindingStatus.DRY_RUN}
    assert run.drift_left


async def test_a_second_repairing_run_is_refused_while_the_first_holds_the_lock() -> None:
    gate = asyncio.Event()
    sources = FakeSources(drifting().snapshot(), gate=gate)
    repairs = FakeRepairs()
    the_job = job(sources, repairs)
    first = asyncio.create_task(
        reconcile(the_job, since=SINCE, dry_run=False, trigger=Trigger.SCHEDULE)
    )
    await sources.reading.wait()  # the first run is reading, its lock held
    with pytest.raises(RunInProgress):
        await reconcile(the_job, since=SINCE, dry_run=False, trigger=Trigger.API)
    gate.set()
    assert (await first).status is RunStatus.SUCCEEDED
    assert len(repairs.sent) == 2
    assert len(await the_job.runs.latest(10)) == 1  # the refused run left no record


async def test_a_source_that_cannot_be_read_fails_the_run_and_judges_nothing() -> None:
    repairs = FakeRepairs()
    sources = FakeSources(failure=SourceUnavailable("payment", "GET answered 503"))
    run = await reconcile(job(sources, repairs), since=SINCE, dry_run=False, trigger=Trigger.CLI)
    assert run.status is RunStatus.FAILED
    assert run.error == "payment: GET answered 503"
    assert run.findings == []
    assert repairs.sent == []
    assert run.drift_left


async def test_reads_reach_back_before_since_and_stop_at_the_runs_start() -> None:
    sources = FakeSources()
    await reconcile(
        job(sources, FakeRepairs()), since=SINCE, until=ago(60), dry_run=True, trigger=Trigger.CLI
    )
    assert sources.windows == [Window(SINCE - READ_MARGIN, NOW)]


async def test_a_window_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(InvalidWindow):
        await reconcile(
            job(FakeSources(), FakeRepairs()),
            since=NOW,
            until=ago(10),
            dry_run=True,
            trigger=Trigger.CLI,
        )


async def test_an_unexpected_error_marks_the_run_failed_and_is_raised() -> None:
    class Broken(FakeSources):
        async def read(self, window: Window) -> Reading:
            raise RuntimeError("bug")

    store = InMemoryRunStore()
    with pytest.raises(RuntimeError):
        await reconcile(
            job(Broken(), FakeRepairs(), runs=store),
            since=SINCE,
            dry_run=False,
            trigger=Trigger.CLI,
        )
    [run] = store.runs.values()
    assert run.status is RunStatus.FAILED
    assert run.error == "RuntimeError: bug"

"""The one place Reconciliation is wired together, for production and for tests alike."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from prometheus_client import REGISTRY, CollectorRegistry
from shop_auth import BearerAuth
from shop_http import Dependency, DependencyMetrics
from shop_messaging import MessagingWorker
from shop_servicekit import (
    Authority,
    Clock,
    Database,
    ReadinessCheck,
    Worker,
    create_app,
    kafka_check,
    minter_of,
    periodic,
    utc_now,
)
from shop_telemetry import configure_logging

from reconciliation.adapters.metrics import RunMetrics
from reconciliation.adapters.repairs import HttpRepairs
from reconciliation.adapters.runs import AdvisoryRunLock
from reconciliation.adapters.sources import SERVICES, HttpSources
from reconciliation.application.reconcile import Job
from reconciliation.application.run_records import RunRecords
from reconciliation.application.triggers import reconcile_recent
from reconciliation.domain.coordination import Deadlines, Step
from reconciliation.domain.findings import Policy
from reconciliation.entrypoints import cli
from reconciliation.entrypoints.api.routes import coordination_router
from reconciliation.entrypoints.api.runs import runs_router
from reconciliation.entrypoints.worker import GROUP, subscriptions
from reconciliation.settings import ReconciliationSettings

ALEMBIC_INI = Path(__file__).resolve().parent / "alembic.ini"


def deadlines_of(settings: ReconciliationSettings) -> Deadlines:
    return {
        Step.ALLOCATION: timedelta(seconds=settings.allocation_deadline_seconds),
        Step.RESERVATION_COMMIT: timedelta(seconds=settings.reservation_commit_deadline_seconds),
        Step.PAYMENT_CAPTURE: timedelta(seconds=settings.payment_capture_deadline_seconds),
        Step.CUSTOMER_NOTIFICATION: timedelta(
            seconds=settings.customer_notification_deadline_seconds
        ),
    }


def policy_of(settings: ReconciliationSettings) -> Policy:
    return Policy(
        deadlines=deadlines_of(settings),
        orphan_grace=timedelta(seconds=settings.orphan_grace_seconds),
        status_settle=timedelta(seconds=settings.status_settle_seconds),
        return_settle=timedelta(seconds=settings.return_deadline_seconds),
    )


def build_dependencies(
    settings: ReconciliationSettings, metrics: DependencyMetrics
) -> dict[str, Dependency]:
    """One resilient client (and breaker) per service the job reads and repairs through."""
    urls = {service: getattr(settings, f"{service}_url") for service in SERVICES}
    minter = minter_of(settings)  # reconciliation's identity, a token per called service
    return {
        service: Dependency(
            service,
            httpx.AsyncClient(base_url=url, auth=BearerAuth(minter, service)),
            fail_max=settings.breaker_fail_max,
            reset_timeout=settings.breaker_reset_timeout_s,
            retries=settings.read_retries,
            metrics=metrics,
        )
        for service, url in urls.items()
    }


@dataclass(frozen=True)
class JobParts:
    job: Job
    records: RunRecords
    dependencies: Mapping[str, Dependency]

    async def close(self) -> None:
        for dependency in self.dependencies.values():
            await dependency.aclose()


def build_job(
    settings: ReconciliationSettings,
    db: Database,
    registry: CollectorRegistry,
    *,
    clock: Clock = utc_now,
) -> JobParts:
    dependencies = build_dependencies(settings, DependencyMetrics(registry))
    records = RunRecords(db.sessions, clock=clock)
    job = Job(
        sources=HttpSources(
            dependencies,
            page_size=settings.read_page_size,
            timeout=settings.read_timeout_seconds,
        ),
        repairs=HttpRepairs(dependencies, timeout=settings.repair_timeout_seconds),
        runs=records,
        lock=AdvisoryRunLock(db.engine),
        observer=RunMetrics(registry),
        policy=policy_of(settings),
        clock=clock,
    )
    return JobParts(job, records, dependencies)


def breaker_checks(dependencies: Mapping[str, Dependency]) -> dict[str, ReadinessCheck]:
    """Breaker states, shown on readiness but never failing it: the coordination API
    answers whatever the other services' health."""

    def check(dependency: Dependency) -> ReadinessCheck:
        async def details() -> Mapping[str, Any]:
            return dependency.breaker.details()

        return details

    return {f"breaker_{name}": check(dep) for name, dep in dependencies.items()}


def build_app(settings: ReconciliationSettings, *, clock: Clock = utc_now) -> FastAPI:
    """`clock`: tests pass a fixed one; production the wall clock."""
    db = Database(settings.database_url, pool_size=settings.database_pool_size)
    registry = CollectorRegistry()
    parts = build_job(settings, db, registry, clock=clock)
    operator = Authority.of(settings).operator()

    return create_app(
        settings,
        title="Reconciliation",
        routers=[
            coordination_router(
                db.sessions, deadlines=deadlines_of(settings), clock=clock, guard=operator
            ),
            runs_router(parts.job, parts.records, guard=operator),
        ],
        checks={"database": db.ping, **breaker_checks(parts.dependencies)},
        registry=registry,
        on_shutdown=[parts.close, db.dispose],
    )


def build_worker(
    settings: ReconciliationSettings, *, registry: CollectorRegistry = REGISTRY
) -> Worker:
    """The consumer of every topic (-> coordination state) and the job's schedule.

    The registry is the process-wide one by default: the messaging metrics register there.
    """
    # The consumer, the schedule's lock connection and its run records.
    db = Database(settings.database_url, pool_size=3)
    messaging = MessagingWorker(
        GROUP,
        db.engine,
        db.sessions,
        bootstrap_servers=settings.kafka_bootstrap_servers,
        enable_idempotence=settings.kafka_enable_idempotence,
        consumer_options=settings.kafka_consumer_options,
    )
    parts = build_job(settings, db, registry)
    tasks = [messaging.consumer(GROUP, subscriptions(clock=utc_now))]
    if settings.schedule_interval_seconds > 0:
        window = timedelta(seconds=settings.schedule_window_seconds)
        interval = settings.schedule_interval_seconds
        # The first run waits one interval: the stack is still starting.
        tasks.append(
            periodic(
                partial(reconcile_recent, parts.job, window=window),
                name="reconcile_recent",
                interval=interval,
                first_delay=interval,
            )
        )

    async def close() -> None:
        await messaging.close()
        await parts.close()
        await db.dispose()

    return Worker(
        tasks=tasks,
        checks={"database": db.ping, "broker": kafka_check(settings.kafka_bootstrap_servers)},
        registry=registry,
        close=close,
    )


def reconcile_command(settings: ReconciliationSettings, argv: Sequence[str]) -> int:
    """`python -m reconciliation reconcile ...`: the CLI, with the job built from `settings`."""
    configure_logging(
        service="reconciliation-reconcile",
        level=settings.log_level,
        json_format=settings.log_format == "json",
    )

    @asynccontextmanager
    async def open_job() -> AsyncIterator[Job]:
        db = Database(settings.database_url, pool_size=2)
        parts = build_job(settings, db, CollectorRegistry())
        try:
            yield parts.job
        finally:
            await parts.close()
            await db.dispose()

    return cli.main(argv, open_job=open_job)

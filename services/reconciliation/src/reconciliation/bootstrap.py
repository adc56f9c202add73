"""The one place Reconciliation is wired together, for production and for tests alike."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from fastapi import FastAPI
from prometheus_client import REGISTRY, CollectorRegistry
from shop_auth import OPERATOR, BearerAuth, Minter, PrivateKey, dev_key, private_key
from shop_http import Dependency, DependencyMetrics
from shop_messaging import MessagingWorker, Retention
from shop_servicekit import (
    PUBLIC,
    Authority,
    Clock,
    Database,
    Guard,
    ReadinessCheck,
    Worker,
    create_app,
    kafka_check,
    minter_of,
    periodic,
    utc_now,
)
from shop_servicekit.auth import trusted_keys
from shop_telemetry import configure_logging

from reconciliation.adapters.dead_letters import KafkaDeadLetters
from reconciliation.adapters.fleet import HttpFleet
from reconciliation.adapters.metrics import RunMetrics
from reconciliation.adapters.repairs import HttpRepairs
from reconciliation.adapters.runs import AdvisoryRunLock
from reconciliation.adapters.sources import SERVICES, HttpSources
from reconciliation.application.reconcile import Job
from reconciliation.application.run_records import RunRecords
from reconciliation.application.triggers import reconcile_recent
from reconciliation.domain.coordination import Deadlines, Step
from reconciliation.domain.findings import Policy
from reconciliation.domain.operations import Target
from reconciliation.entrypoints import cli
from reconciliation.entrypoints.api.routes import coordination_router
from reconciliation.entrypoints.api.runs import runs_router
from reconciliation.entrypoints.console import (
    ConsoleAccess,
    ConsoleParts,
    LoginRequired,
    console_router,
    to_login,
)
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


CONSOLE_SERVICES = (
    "checkout", "pricing", "inventory", "payment", "fulfillment", "communications",
    "reconciliation",
)  # fmt: skip
SESSION_HOURS = 8


def _signing_key(settings: ReconciliationSettings) -> PrivateKey:
    if settings.signing_key is not None:
        return private_key(settings.signing_key.get_secret_value())
    return dev_key(settings.service_name)  # the settings allow none only in `local`


def _worker_url(serve_url: str, offset: int = 100) -> str:
    """The embedded stack's convention: a worker serves on its service's port + 100."""
    parts = urlsplit(serve_url)
    port = (parts.port or 80) + offset
    return urlunsplit((parts.scheme, f"{parts.hostname}:{port}", "", "", ""))


def build_fleet(settings: ReconciliationSettings) -> HttpFleet:
    """The services the console shows, and the operator identity it toggles faults as."""
    own = f"http://127.0.0.1:{settings.port}"
    targets = {}
    for service in CONSOLE_SERVICES:
        serve = own if service == "reconciliation" else getattr(settings, f"{service}_url")
        work = settings.console_worker_urls.get(service) or (
            None if settings.console_worker_urls else _worker_url(serve)
        )
        targets[service] = Target(serve, work)
    if settings.console_operator_key is not None:
        key = private_key(settings.console_operator_key.get_secret_value())
    elif settings.environment == "local":
        key = dev_key(OPERATOR)
    else:  # no operator key: fault settings show as unreadable, toggles are refused
        key = dev_key("console-without-operator-key")
    return HttpFleet(targets, operator=Minter(OPERATOR, key))


def build_console(
    settings: ReconciliationSettings,
    db: Database,
    parts: JobParts,
    fleet: HttpFleet,
    operator: Guard,
    *,
    clock: Clock,
) -> tuple[ConsoleParts, ConsoleAccess]:
    key = _signing_key(settings)
    access = ConsoleAccess(
        operator,
        trusted_keys(settings),
        Minter(settings.service_name, key, ttl_seconds=SESSION_HOURS * 3600),
        key.public_key(),
    )
    console = ConsoleParts(
        sessions=db.sessions,
        deadlines=deadlines_of(settings),
        clock=clock,
        job=parts.job,
        records=parts.records,
        sources=parts.job.sources,
        dead_letters=KafkaDeadLetters(
            settings.kafka_bootstrap_servers,
            enable_idempotence=settings.kafka_enable_idempotence,
            consumer_options=settings.kafka_consumer_options,
        ),
        fleet=fleet,
        groups=CONSOLE_SERVICES,
        trace_url=settings.console_trace_url,
        dev_sign_in=settings.environment == "local",
        secure_cookie=settings.environment != "local",
    )
    return console, access


def build_app(settings: ReconciliationSettings, *, clock: Clock = utc_now) -> FastAPI:
    """`clock`: tests pass a fixed one; production the wall clock."""
    db = Database(settings.database_url, pool_size=settings.database_pool_size)
    registry = CollectorRegistry()
    parts = build_job(settings, db, registry, clock=clock)
    operator = Authority.of(settings).operator()
    fleet = build_fleet(settings)
    console, access = build_console(settings, db, parts, fleet, operator, clock=clock)

    app = create_app(
        settings,
        title="Reconciliation",
        routers=[
            coordination_router(
                db.sessions, deadlines=deadlines_of(settings), clock=clock, guard=operator
            ),
            runs_router(parts.job, parts.records, guard=operator),
            console_router(console, access, PUBLIC),
        ],
        checks={"database": db.ping, **breaker_checks(parts.dependencies)},
        registry=registry,
        on_shutdown=[parts.close, fleet.aclose, db.dispose],
    )
    app.add_exception_handler(LoginRequired, to_login)
    return app


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
    tasks = [
        messaging.consumer(GROUP, subscriptions(clock=utc_now)),
        messaging.retention(Retention.of(settings)),
    ]
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

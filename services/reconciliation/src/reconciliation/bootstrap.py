"""The one place Reconciliation is wired together, for production and for tests alike."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi import FastAPI
from prometheus_client import CollectorRegistry
from shop_servicekit import Database, Worker, create_app, kafka_check

from reconciliation.domain.coordination import Deadlines, Step
from reconciliation.entrypoints.api.routes import coordination_router
from reconciliation.settings import ReconciliationSettings

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"


def utc_now() -> datetime:
    return datetime.now(UTC)


def deadlines_of(settings: ReconciliationSettings) -> Deadlines:
    return {
        Step.ALLOCATION: timedelta(seconds=settings.allocation_deadline_seconds),
        Step.RESERVATION_COMMIT: timedelta(seconds=settings.reservation_commit_deadline_seconds),
        Step.PAYMENT_CAPTURE: timedelta(seconds=settings.payment_capture_deadline_seconds),
        Step.CUSTOMER_NOTIFICATION: timedelta(
            seconds=settings.customer_notification_deadline_seconds
        ),
    }


def build_app(
    settings: ReconciliationSettings, *, now: Callable[[], datetime] = utc_now
) -> FastAPI:
    db = Database(settings.database_url, pool_size=settings.database_pool_size)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        await db.dispose()

    return create_app(
        settings,
        title="Reconciliation",
        routers=[coordination_router(db.sessions, deadlines=deadlines_of(settings), now=now)],
        checks={"database": db.ping},
        registry=CollectorRegistry(),
        lifespan=lifespan,
    )


def build_worker(settings: ReconciliationSettings) -> Worker:
    # The consumers of every topic (-> observe_event) arrive with the next issue, the
    # reconciliation job after that; until then the worker only reports its health.
    db = Database(settings.database_url, pool_size=1)
    return Worker(
        tasks=[],
        checks={"database": db.ping, "broker": kafka_check(settings.kafka_bootstrap_servers)},
        registry=CollectorRegistry(),
        close=db.dispose,
    )

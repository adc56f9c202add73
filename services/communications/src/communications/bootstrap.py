"""The one place Communications is wired together, for production and for tests alike."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI
from prometheus_client import CollectorRegistry
from shop_servicekit import Database, Worker, create_app, kafka_check

from communications.adapters.smtp import SmtpMailer
from communications.entrypoints.api.routes import communications_router
from communications.settings import CommunicationsSettings

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"


def utc_now() -> datetime:
    return datetime.now(UTC)


def build_mailer(settings: CommunicationsSettings) -> SmtpMailer:
    return SmtpMailer(
        settings.smtp_host,
        settings.smtp_port,
        mail_from=settings.mail_from,
        timeout=settings.smtp_timeout_seconds,
    )


def build_app(settings: CommunicationsSettings) -> FastAPI:
    db = Database(settings.database_url, pool_size=settings.database_pool_size)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        await db.dispose()

    return create_app(
        settings,
        title="Communications",
        routers=[communications_router(db.sessions)],
        checks={"database": db.ping},
        registry=CollectorRegistry(),
        lifespan=lifespan,
    )


def build_worker(settings: CommunicationsSettings) -> Worker:
    # The consumers (OrderConfirmed, ShipmentCreated, BackorderDeclared -> notify_customer
    # with build_mailer) and the outbox relay arrive with the next issue.
    db = Database(settings.database_url, pool_size=1)
    return Worker(
        tasks=[],
        checks={"database": db.ping, "broker": kafka_check(settings.kafka_bootstrap_servers)},
        registry=CollectorRegistry(),
        close=db.dispose,
    )

"""The one place Inventory is wired together, for production and for tests alike."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi import FastAPI
from prometheus_client import CollectorRegistry
from shop_messaging import Outbox
from shop_servicekit import Database, Worker, create_app, kafka_check

from inventory.application.expiry import expire_reservations
from inventory.entrypoints.api.routes import inventory_router
from inventory.entrypoints.worker import relay_outbox, sweep_expired
from inventory.settings import InventorySettings

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"


def utc_now() -> datetime:
    return datetime.now(UTC)


def build_app(settings: InventorySettings) -> FastAPI:
    db = Database(settings.database_url, pool_size=settings.database_pool_size)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        await db.dispose()

    router = inventory_router(
        db.sessions,
        Outbox(),
        default_ttl=timedelta(seconds=settings.default_ttl_seconds),
        min_budget_ms=settings.min_budget_ms,
        now=utc_now,
    )
    return create_app(
        settings,
        title="Inventory",
        routers=[router],
        checks={"database": db.ping},
        registry=CollectorRegistry(),
        lifespan=lifespan,
    )


def build_worker(settings: InventorySettings) -> Worker:
    db = Database(settings.database_url, pool_size=2)

    async def expire_due() -> int:
        return await expire_reservations(
            db.sessions, Outbox(), now=utc_now(), limit=settings.expiry_batch_size
        )

    # Named functions, not partials: the worker names its tasks after them.
    async def expiry_sweep() -> None:
        await sweep_expired(
            expire_due,
            interval=settings.expiry_sweep_interval_seconds,
            batch=settings.expiry_batch_size,
        )

    async def outbox_relay() -> None:
        await relay_outbox(
            db.engine,
            settings.kafka_bootstrap_servers,
            idempotence=settings.kafka_enable_idempotence,
        )

    return Worker(
        tasks=[expiry_sweep, outbox_relay],
        checks={"database": db.ping, "broker": kafka_check(settings.kafka_bootstrap_servers)},
        registry=CollectorRegistry(),
        close=db.dispose,
    )

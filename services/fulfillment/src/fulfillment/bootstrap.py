"""The one place Fulfillment is wired together, for production and for tests alike."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from prometheus_client import CollectorRegistry
from shop_servicekit import Database, Worker, create_app, kafka_check

from fulfillment.entrypoints.api.routes import fulfillment_router
from fulfillment.settings import FulfillmentSettings

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"


def build_app(settings: FulfillmentSettings) -> FastAPI:
    db = Database(settings.database_url, pool_size=settings.database_pool_size)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        await db.dispose()

    return create_app(
        settings,
        title="Fulfillment",
        routers=[fulfillment_router(db.sessions)],
        checks={"database": db.ping},
        registry=CollectorRegistry(),
        lifespan=lifespan,
    )


def build_worker(settings: FulfillmentSettings) -> Worker:
    # The OrderConfirmed / StockReplenished consumers and the outbox relay arrive with the
    # next issue; until then the worker only reports its health.
    db = Database(settings.database_url, pool_size=1)
    return Worker(
        tasks=[],
        checks={"database": db.ping, "broker": kafka_check(settings.kafka_bootstrap_servers)},
        registry=CollectorRegistry(),
        close=db.dispose,
    )

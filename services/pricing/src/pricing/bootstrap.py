"""The one place Pricing is wired together, for production and for tests alike."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi import FastAPI
from prometheus_client import CollectorRegistry
from shop_servicekit import Database, Worker, create_app, kafka_check

from pricing.entrypoints.api.routes import pricing_router
from pricing.settings import PricingSettings

ALEMBIC_INI = Path(__file__).resolve().parent / "alembic.ini"


def utc_now() -> datetime:
    return datetime.now(UTC)


def build_app(settings: PricingSettings) -> FastAPI:
    db = Database(settings.database_url, pool_size=settings.database_pool_size)

    return create_app(
        settings,
        title="Pricing",
        routers=[
            pricing_router(
                db.sessions, quote_ttl=timedelta(seconds=settings.quote_ttl_seconds), now=utc_now
            )
        ],
        checks={"database": db.ping},
        registry=CollectorRegistry(),
        on_shutdown=[db.dispose],
    )


def build_worker(settings: PricingSettings) -> Worker:
    # Pricing has no background work yet; the worker process exists so every service
    # runs the same two commands.
    db = Database(settings.database_url, pool_size=1)
    return Worker(
        tasks=[],
        checks={"database": db.ping, "broker": kafka_check(settings.kafka_bootstrap_servers)},
        registry=CollectorRegistry(),
        close=db.dispose,
    )

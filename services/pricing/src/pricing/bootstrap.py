"""The one place Pricing is wired together, for production and for tests alike."""

from datetime import timedelta
from pathlib import Path

from fastapi import FastAPI
from prometheus_client import REGISTRY, CollectorRegistry
from shop_messaging import MessagingWorker
from shop_servicekit import Authority, Database, Worker, create_app, kafka_check, utc_now

from pricing.entrypoints.api.routes import pricing_router
from pricing.entrypoints.worker import GROUP, subscriptions
from pricing.settings import PricingSettings

ALEMBIC_INI = Path(__file__).resolve().parent / "alembic.ini"


def build_app(settings: PricingSettings) -> FastAPI:
    db = Database(settings.database_url, pool_size=settings.database_pool_size)

    return create_app(
        settings,
        title="Pricing",
        routers=[
            pricing_router(
                db.sessions,
                quote_ttl=timedelta(seconds=settings.quote_ttl_seconds),
                clock=utc_now,
                auth=Authority.of(settings),
            )
        ],
        checks={"database": db.ping},
        registry=CollectorRegistry(),
        on_shutdown=[db.dispose],
    )


def build_worker(settings: PricingSettings) -> Worker:
    db = Database(settings.database_url, pool_size=1)
    messaging = MessagingWorker(
        GROUP,
        db.engine,
        db.sessions,
        bootstrap_servers=settings.kafka_bootstrap_servers,
        enable_idempotence=settings.kafka_enable_idempotence,
        consumer_options=settings.kafka_consumer_options,
    )
    table = subscriptions()

    async def close() -> None:
        await messaging.close()
        await db.dispose()

    # Pricing has no outbox and an empty table, so `work` runs no tasks today; it exists so
    # every service runs the same two commands, and a first subscription needs no rewiring.
    return Worker(
        tasks=[messaging.consumer(GROUP, table)] if table else [],
        checks={"database": db.ping, "broker": kafka_check(settings.kafka_bootstrap_servers)},
        registry=REGISTRY,
        close=close,
    )

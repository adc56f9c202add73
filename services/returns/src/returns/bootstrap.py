"""The one place Returns is wired together, for production and for tests alike."""

from pathlib import Path

from fastapi import FastAPI
from prometheus_client import REGISTRY, CollectorRegistry
from shop_messaging import MessagingWorker, Outbox
from shop_servicekit import Authority, Database, Worker, create_app, kafka_check, utc_now

from returns.entrypoints.api.routes import returns_router
from returns.entrypoints.worker import GROUP, subscriptions
from returns.settings import ReturnsSettings

ALEMBIC_INI = Path(__file__).resolve().parent / "alembic.ini"


def build_app(settings: ReturnsSettings) -> FastAPI:
    db = Database(settings.database_url, pool_size=settings.database_pool_size)

    return create_app(
        settings,
        title="Returns",
        routers=[
            returns_router(db.sessions, clock=utc_now, auth=Authority.of(settings)),
        ],
        checks={"database": db.ping},
        registry=CollectorRegistry(),
        on_shutdown=[db.dispose],
    )


def build_worker(settings: ReturnsSettings) -> Worker:
    db = Database(settings.database_url, pool_size=2)
    outbox = Outbox()
    messaging = MessagingWorker(
        GROUP,
        db.engine,
        db.sessions,
        bootstrap_servers=settings.kafka_bootstrap_servers,
        enable_idempotence=settings.kafka_enable_idempotence,
        consumer_options=settings.kafka_consumer_options,
    )
    table = subscriptions(outbox=outbox, clock=utc_now)

    async def close() -> None:
        await messaging.close()
        await db.dispose()

    # The relay publishes what the use cases add to the outbox; the consumer starts with the
    # first subscription in entrypoints/worker.py, with no other change here.
    consume = [messaging.consumer(GROUP, table)] if table else []
    return Worker(
        tasks=[messaging.relay(), *consume],
        checks={"database": db.ping, "broker": kafka_check(settings.kafka_bootstrap_servers)},
        # The default registry: the messaging metrics (consumed, retries, relay) live there.
        registry=REGISTRY,
        close=close,
    )

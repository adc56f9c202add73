"""The one place Returns is wired together, for production and for tests alike."""

from datetime import timedelta
from functools import partial
from pathlib import Path

from fastapi import FastAPI
from prometheus_client import REGISTRY, CollectorRegistry
from shop_messaging import MessagingWorker, Outbox, Retention
from shop_servicekit import Authority, Database, Worker, create_app, kafka_check, utc_now

from returns.application.queries import find_return, read_returns
from returns.application.requests import receive_return, request_return
from returns.entrypoints.api.internal import internal_router
from returns.entrypoints.api.routes import returns_router
from returns.entrypoints.worker import GROUP, subscriptions
from returns.settings import ReturnsSettings

ALEMBIC_INI = Path(__file__).resolve().parent / "alembic.ini"


def build_app(settings: ReturnsSettings) -> FastAPI:
    db = Database(settings.database_url, pool_size=settings.database_pool_size)
    outbox = Outbox()
    auth = Authority.of(settings)
    window = timedelta(days=settings.return_window_days)
    router = returns_router(
        request_return=partial(request_return, db.sessions, outbox, clock=utc_now, window=window),
        receive_return=partial(receive_return, db.sessions, outbox, clock=utc_now),
        find_return=partial(find_return, db.sessions),
        auth=auth,
    )
    internal = internal_router(
        partial(read_returns, db.sessions), guard=auth.services("reconciliation")
    )
    return create_app(
        settings,
        title="Returns",
        routers=[router, internal],
        checks={"database": db.ping},
        registry=CollectorRegistry(),
        on_shutdown=[db.dispose],
    )


def build_worker(settings: ReturnsSettings) -> Worker:
    db = Database(settings.database_url, pool_size=2)
    messaging = MessagingWorker(
        GROUP,
        db.engine,
        db.sessions,
        bootstrap_servers=settings.kafka_bootstrap_servers,
        enable_idempotence=settings.kafka_enable_idempotence,
        consumer_options=settings.kafka_consumer_options,
    )
    table = subscriptions(outbox=Outbox(), clock=utc_now)

    async def close() -> None:
        await messaging.close()
        await db.dispose()

    return Worker(
        tasks=[
            messaging.relay(),
            messaging.retention(Retention.of(settings)),
            messaging.consumer(GROUP, table),
        ],
        checks={"database": db.ping, "broker": kafka_check(settings.kafka_bootstrap_servers)},
        # The default registry: the messaging metrics (consumed, retries, relay) live there.
        registry=REGISTRY,
        close=close,
    )

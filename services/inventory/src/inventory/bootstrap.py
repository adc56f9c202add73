"""The one place Inventory is wired together, for production and for tests alike."""

from datetime import timedelta
from functools import partial
from pathlib import Path

from fastapi import FastAPI
from prometheus_client import REGISTRY, CollectorRegistry
from shop_messaging import MessagingWorker, Outbox, Retention
from shop_servicekit import Authority, Database, Worker, create_app, kafka_check, periodic, utc_now

from inventory.application.expiry import expire_reservations
from inventory.entrypoints.api.internal import internal_router
from inventory.entrypoints.api.replenishment import replenishment_router
from inventory.entrypoints.api.routes import inventory_router
from inventory.entrypoints.worker import GROUP, subscriptions
from inventory.settings import InventorySettings

ALEMBIC_INI = Path(__file__).resolve().parent / "alembic.ini"


def build_app(settings: InventorySettings) -> FastAPI:
    db = Database(settings.database_url, pool_size=settings.database_pool_size)

    outbox = Outbox()
    auth = Authority.of(settings)
    router = inventory_router(
        db.sessions,
        outbox,
        default_ttl=timedelta(seconds=settings.default_ttl_seconds),
        min_budget_ms=settings.min_budget_ms,
        clock=utc_now,
        auth=auth,
    )
    admin = replenishment_router(db.sessions, outbox, guard=auth.operator(), clock=utc_now)
    internal = internal_router(
        db.sessions, outbox, guard=auth.services("reconciliation"), clock=utc_now
    )
    return create_app(
        settings,
        title="Inventory",
        routers=[router, admin, internal],
        checks={"database": db.ping},
        registry=CollectorRegistry(),
        on_shutdown=[db.dispose],
    )


def build_worker(settings: InventorySettings) -> Worker:
    db = Database(settings.database_url, pool_size=4)
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
    expiry_sweep = periodic(
        partial(
            expire_reservations,
            db.sessions,
            outbox,
            clock=utc_now,
            limit=settings.expiry_batch_size,
        ),
        name="expire_reservations",
        interval=settings.expiry_sweep_interval_seconds,
        batch_size=settings.expiry_batch_size,
    )

    async def close() -> None:
        await messaging.close()
        await db.dispose()

    consume = messaging.consumer(GROUP, table)
    return Worker(
        tasks=[
            messaging.relay(),
            messaging.retention(Retention.of(settings)),
            consume,
            expiry_sweep,
        ],
        checks={"database": db.ping, "broker": kafka_check(settings.kafka_bootstrap_servers)},
        # The default registry: the messaging metrics (consumed, retries, relay) live there.
        registry=REGISTRY,
        close=close,
    )

"""The one place Fulfillment is wired together, for production and for tests alike."""

from datetime import timedelta
from functools import partial
from pathlib import Path

from fastapi import FastAPI
from prometheus_client import REGISTRY, CollectorRegistry
from shop_messaging import MessagingWorker, Outbox, Retention
from shop_servicekit import (
    Authority,
    Database,
    Worker,
    create_app,
    kafka_check,
    periodic,
    utc_now,
)

from fulfillment.application.dispatch import dispatch_shipments
from fulfillment.entrypoints.api.internal import internal_router
from fulfillment.entrypoints.api.routes import fulfillment_router
from fulfillment.entrypoints.worker import GROUP, subscriptions
from fulfillment.settings import FulfillmentSettings

ALEMBIC_INI = Path(__file__).resolve().parent / "alembic.ini"


def build_app(settings: FulfillmentSettings) -> FastAPI:
    db = Database(settings.database_url, pool_size=settings.database_pool_size)
    auth = Authority.of(settings)
    return create_app(
        settings,
        title="Fulfillment",
        routers=[
            fulfillment_router(db.sessions, auth=auth),
            internal_router(db.sessions, guard=auth.services("reconciliation")),
        ],
        checks={"database": db.ping},
        registry=CollectorRegistry(),
        on_shutdown=[db.dispose],
    )


def build_worker(settings: FulfillmentSettings) -> Worker:
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
    table = subscriptions(
        outbox=outbox, clock=utc_now, receiving_warehouse_id=settings.receiving_warehouse_id
    )
    dispatch_loop = periodic(
        partial(
            dispatch_shipments,
            db.sessions,
            outbox,
            clock=utc_now,
            delay=timedelta(seconds=settings.dispatch_delay_seconds),
            limit=settings.dispatch_batch_size,
        ),
        name="dispatch_shipments",
        interval=settings.dispatch_interval_seconds,
        batch_size=settings.dispatch_batch_size,
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
            dispatch_loop,
        ],
        checks={"database": db.ping, "broker": kafka_check(settings.kafka_bootstrap_servers)},
        # The default registry: the messaging metrics (consumed, retries, relay) live there.
        registry=REGISTRY,
        close=close,
    )

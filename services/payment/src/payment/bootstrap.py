"""The one place Payment is wired together, for production and for tests alike."""

from datetime import timedelta
from pathlib import Path

from fastapi import FastAPI
from prometheus_client import REGISTRY, CollectorRegistry
from shop_messaging import MessagingWorker, Outbox, Retention
from shop_servicekit import Authority, Database, Worker, create_app, kafka_check, utc_now

from payment.domain.fraud import FraudRules
from payment.entrypoints.api.internal import internal_router
from payment.entrypoints.api.routes import payment_router
from payment.entrypoints.worker import GROUP, subscriptions
from payment.settings import PaymentSettings

ALEMBIC_INI = Path(__file__).resolve().parent / "alembic.ini"


def fraud_rules(settings: PaymentSettings) -> FraudRules:
    return FraudRules(
        amount_limit=settings.fraud_amount_limit,
        velocity_max=settings.fraud_velocity_max,
        velocity_window=timedelta(seconds=settings.fraud_velocity_window_seconds),
    )


def build_app(settings: PaymentSettings) -> FastAPI:
    db = Database(settings.database_url, pool_size=settings.database_pool_size)

    outbox = Outbox()
    auth = Authority.of(settings)
    router = payment_router(
        db.sessions,
        outbox,
        rules=fraud_rules(settings),
        min_budget_ms=settings.min_budget_ms,
        clock=utc_now,
        auth=auth,
    )
    internal = internal_router(
        db.sessions, outbox, guard=auth.services("reconciliation"), clock=utc_now
    )
    return create_app(
        settings,
        title="Payment",
        routers=[router, internal],
        checks={"database": db.ping},
        registry=CollectorRegistry(),
        on_shutdown=[db.dispose],
    )


def build_worker(settings: PaymentSettings) -> Worker:
    # The relay and the consumer each hold a connection; room for a burst besides.
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

    consume = messaging.consumer(GROUP, table)
    return Worker(
        tasks=[messaging.relay(), messaging.retention(Retention.of(settings)), consume],
        checks={"database": db.ping, "broker": kafka_check(settings.kafka_bootstrap_servers)},
        # The default registry: the messaging metrics (consumed, retries, relay) live there.
        registry=REGISTRY,
        close=close,
    )

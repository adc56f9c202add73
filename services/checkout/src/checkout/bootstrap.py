"""The one place Checkout is wired together, for production and for tests alike."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from prometheus_client import REGISTRY, CollectorRegistry
from shop_auth import BearerAuth
from shop_http import Dependency, DependencyMetrics
from shop_messaging import MessagingWorker, Outbox, Retention
from shop_servicekit import (
    AdmissionLimit,
    AdmissionMetrics,
    AdmissionMiddleware,
    Authority,
    Database,
    ReadinessCheck,
    TokenBuckets,
    Worker,
    create_app,
    kafka_check,
    limit_per_caller,
    limit_per_client,
    minter_of,
    periodic,
    utc_now,
)

from checkout.adapters.inventory import HttpInventory
from checkout.adapters.metrics import ORDER_METRICS
from checkout.adapters.payment import HttpPayment
from checkout.adapters.pricing import HttpPricing
from checkout.application.background import BackgroundTasks
from checkout.application.cancellation import cancel_order
from checkout.application.checkouts import CheckoutDeps, place_order
from checkout.application.coordination import Coordination
from checkout.application.key_expiry import purge_expired_keys
from checkout.application.progress import correct_order
from checkout.application.queries import find_order, page_orders
from checkout.application.republish import republish_order_confirmed
from checkout.entrypoints.api.internal import internal_router
from checkout.entrypoints.api.routes import checkout_router, default_order_id
from checkout.entrypoints.worker import GROUP, subscriptions
from checkout.settings import CheckoutSettings

ALEMBIC_INI = Path(__file__).resolve().parent / "alembic.ini"


def build_dependencies(
    settings: CheckoutSettings, metrics: DependencyMetrics
) -> dict[str, Dependency]:
    urls = {
        "pricing": settings.pricing_url,
        "inventory": settings.inventory_url,
        "payment": settings.payment_url,
    }
    minter = minter_of(settings)  # checkout's identity: each call carries a token for `name`
    return {
        name: Dependency(
            name,
            # One pooled client per dependency for the process's life. Every connection
            # it may open is kept alive: one closed after each burst would cost a new
            # connection (and its handshake) per request under load.
            httpx.AsyncClient(
                base_url=url,
                limits=httpx.Limits(max_connections=100, max_keepalive_connections=100),
                auth=BearerAuth(minter, name),
            ),
            fail_max=settings.breaker_fail_max,
            reset_timeout=settings.breaker_reset_timeout_s,
            retries=settings.retry_attempts,
            metrics=metrics,
        )
        for name, url in urls.items()
    }


def breaker_checks(dependencies: Mapping[str, Dependency]) -> dict[str, ReadinessCheck]:
    """Readiness shows each breaker's state but never fails on it: an open breaker is the
    service protecting itself, and taking it out of rotation would only spread the outage."""

    def check(dependency: Dependency) -> ReadinessCheck:
        async def details() -> Mapping[str, Any]:
            return dependency.breaker.details()

        return details

    return {f"breaker_{name}": check(dep) for name, dep in dependencies.items()}


def broker_report(bootstrap_servers: str) -> ReadinessCheck:
    """The broker's reachability, shown but never failing readiness: checkout keeps taking
    orders while Kafka is down (the outbox holds the events until the relay can send)."""
    reach = kafka_check(bootstrap_servers)

    async def report() -> Mapping[str, Any]:
        try:
            await reach()
        except Exception as exc:  # any failure: unreachable, and said why
            return {"reachable": False, "error": f"{type(exc).__name__}: {exc}"[:200]}
        return {"reachable": True}

    return report


def build_app(settings: CheckoutSettings) -> FastAPI:
    db = Database(settings.database_url, pool_size=settings.database_pool_size)
    sessions = db.sessions
    registry = CollectorRegistry()
    for collector in ORDER_METRICS:  # corrections through the internal API move orders too
        registry.register(collector)
    dependencies = build_dependencies(settings, DependencyMetrics(registry))
    background = BackgroundTasks()
    compensation_seconds = settings.compensation_budget_ms / 1000
    checkout_deps = CheckoutDeps(
        sessions=sessions,
        outbox=Outbox(),
        coordination=Coordination(
            pricing=HttpPricing(dependencies["pricing"]),
            inventory=HttpInventory(
                dependencies["inventory"], ttl_seconds=settings.reservation_ttl_seconds
            ),
            payment=HttpPayment(dependencies["payment"]),
            budget_seconds=settings.checkout_budget_ms / 1000,
        ),
        key_lock=timedelta(seconds=settings.idempotency_lock_seconds),
        compensation_budget_seconds=compensation_seconds,
        spawn=background.spawn,
    )

    async def finish_compensations() -> None:
        # Undo calls still running must finish before their clients close.
        await background.drain(timeout=compensation_seconds * (1 + settings.retry_attempts))

    auth = Authority.of(settings)
    customers = TokenBuckets(
        rate_per_minute=settings.customer_checkouts_per_minute,
        burst=settings.customer_checkout_burst,
    )
    clients = TokenBuckets(
        rate_per_minute=settings.client_checkouts_per_minute,
        burst=settings.client_checkout_burst,
    )
    app = create_app(
        settings,
        title="Checkout",
        routers=[
            checkout_router(
                place_order=partial(place_order, deps=checkout_deps, clock=utc_now),
                find_order=partial(find_order, sessions=sessions),
                cancel_order=partial(
                    cancel_order, sessions=sessions, outbox=Outbox(), clock=utc_now
                ),
                new_order_id=default_order_id,
                auth=auth,
                limits=[limit_per_client(clients), limit_per_caller(customers, auth.customer())],
            ),
            internal_router(
                guard=auth.services("reconciliation"),
                page_orders=partial(page_orders, sessions=sessions),
                republish_order_confirmed=partial(
                    republish_order_confirmed, sessions=sessions, outbox=Outbox()
                ),
                correct_order=partial(correct_order, sessions=sessions, clock=utc_now),
            ),
        ],
        checks={
            "database": db.ping,
            "broker": broker_report(settings.kafka_bootstrap_servers),
            **breaker_checks(dependencies),
        },
        registry=registry,
        on_shutdown=[
            finish_compensations,
            *(dependency.aclose for dependency in dependencies.values()),
            db.dispose,
        ],
    )
    app.state.background = background
    app.state.dependencies = dependencies
    # Outermost: an excess checkout is refused before any middleware or call works on it.
    app.add_middleware(
        AdmissionMiddleware,
        limit=AdmissionLimit(
            max_in_flight=settings.admission_max_in_flight,
            max_waiting=settings.admission_max_waiting,
            queue_timeout=settings.admission_queue_ms / 1000,
        ),
        routes={("POST", "/v1/checkouts")},
        retry_after_s=settings.admission_retry_after_s,
        metrics=AdmissionMetrics(registry),
    )
    return app


def build_worker(settings: CheckoutSettings) -> Worker:
    """The outbox relay (OrderConfirmed, OrderCancelled) and the consumer of every topic
    that tells checkout what became of its orders."""
    db = Database(settings.database_url, pool_size=2)
    messaging = MessagingWorker(
        GROUP,
        db.engine,
        db.sessions,
        bootstrap_servers=settings.kafka_bootstrap_servers,
        enable_idempotence=settings.kafka_enable_idempotence,
        consumer_options=settings.kafka_consumer_options,
    )

    async def close() -> None:
        await messaging.close()
        await db.dispose()

    purge_batch = 500
    purge_keys = periodic(
        partial(
            purge_expired_keys,
            db.sessions,
            ttl=timedelta(seconds=settings.idempotency_key_ttl_seconds),
            clock=utc_now,
            limit=purge_batch,
        ),
        name="purge_expired_keys",
        interval=settings.idempotency_purge_interval_s,
        batch_size=purge_batch,
    )
    return Worker(
        tasks=[
            messaging.relay(poll_interval=settings.outbox_poll_interval_s),
            messaging.consumer(GROUP, subscriptions(outbox=Outbox(), clock=utc_now)),
            messaging.retention(Retention.of(settings)),
            purge_keys,
        ],
        checks={"database": db.ping, "broker": kafka_check(settings.kafka_bootstrap_servers)},
        # The process-wide registry: the messaging metrics register there.
        registry=REGISTRY,
        close=close,
    )

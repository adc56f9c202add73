"""The one place Communications is wired together, for production and for tests alike."""

from functools import partial
from pathlib import Path

from fastapi import FastAPI
from prometheus_client import REGISTRY, CollectorRegistry
from shop_messaging import MessagingWorker, Outbox, Retention
from shop_servicekit import Authority, Database, Worker, create_app, kafka_check, utc_now

from communications.adapters.smtp import SmtpMailer
from communications.application.notify import notify_customer
from communications.domain.errors import NotificationFailed
from communications.entrypoints.api.internal import internal_router
from communications.entrypoints.api.routes import communications_router
from communications.entrypoints.worker import GROUP, subscriptions
from communications.settings import CommunicationsSettings

ALEMBIC_INI = Path(__file__).resolve().parent / "alembic.ini"


def build_mailer(settings: CommunicationsSettings) -> SmtpMailer:
    return SmtpMailer(
        settings.smtp_host,
        settings.smtp_port,
        mail_from=settings.mail_from,
        timeout=settings.smtp_timeout_seconds,
    )


def build_app(settings: CommunicationsSettings) -> FastAPI:
    db = Database(settings.database_url, pool_size=settings.database_pool_size)

    # The resend repair mails through the same use case, bound as the worker binds it.
    notify = partial(
        notify_customer,
        mailer=build_mailer(settings),
        outbox=Outbox(),
        mail_from=settings.mail_from,
        clock=utc_now,
        sessions=db.sessions,
    )
    auth = Authority.of(settings)
    internal = internal_router(
        db.sessions, notify=notify, guard=auth.services("reconciliation"), clock=utc_now
    )
    return create_app(
        settings,
        title="Communications",
        routers=[communications_router(db.sessions, auth=auth), internal],
        checks={"database": db.ping},
        registry=CollectorRegistry(),
        on_shutdown=[db.dispose],
    )


def build_worker(settings: CommunicationsSettings, *, group: str = GROUP) -> Worker:
    """`group`: the consumer group (and inbox name); tests give each worker its own."""
    # Each consumer's handler holds a connection and may take a second for the writes that
    # outlive its transaction (a FAILED attempt, a recipient); the relay holds one more.
    db = Database(settings.database_url, pool_size=4)
    messaging = MessagingWorker(
        GROUP,
        db.engine,
        db.sessions,
        bootstrap_servers=settings.kafka_bootstrap_servers,
        enable_idempotence=settings.kafka_enable_idempotence,
        consumer_options=settings.kafka_consumer_options,
    )
    table = subscriptions(
        outbox=Outbox(),
        clock=utc_now,
        sessions=db.sessions,
        mailer=build_mailer(settings),
        mail_from=settings.mail_from,
    )
    # The mail server down (NotificationFailed) is retried for as long as it takes, with
    # only that partition paused, never dead-lettered. A recipient not known yet
    # (RecipientUnknown) may never come: retried `retry_max_attempts` times, then
    # dead-lettered, and redriven later, when its OrderContactShared has most likely arrived.
    consume = messaging.consumer(
        group,
        table,
        transient=(NotificationFailed,),
        max_attempts=settings.retry_max_attempts,
        backoff_base=settings.retry_backoff_seconds,
        backoff_max=settings.retry_backoff_max_seconds,
    )

    async def close() -> None:
        await messaging.close()
        await db.dispose()

    return Worker(
        tasks=[messaging.relay(), messaging.retention(Retention.of(settings)), consume],
        checks={"database": db.ping, "broker": kafka_check(settings.kafka_bootstrap_servers)},
        # The default registry: the messaging metrics (consumed, retries, relay) live there.
        registry=REGISTRY,
        close=close,
    )

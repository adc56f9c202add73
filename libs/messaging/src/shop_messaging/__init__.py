"""Reliable events for the shop's services: outbox, relay, inbox, consumer runner, DLQ.

    from shop_messaging import MessagingWorker, Outbox, Subscriptions

    # A use case, in the same transaction as the state change:
    async with sessions.begin() as session:
        session.add(order)
        await outbox.add(session, OrderConfirmed(...))

    # A handler: runs in the transaction that claimed the event in the inbox; never commits.
    async def allocate_order(session, event, *, outbox, clock): ...

    # bootstrap.build_worker: the relay and one consumer group, as tasks of `work`.
    messaging = MessagingWorker(
        "fulfillment", db.engine, db.sessions,
        bootstrap_servers=settings.kafka_bootstrap_servers,
        enable_idempotence=settings.kafka_enable_idempotence,
        consumer_options=settings.kafka_consumer_options,
    )
    table: Subscriptions = {OrderConfirmed: partial(allocate_order, outbox=outbox, clock=utc_now)}
    Worker(tasks=[messaging.relay(), messaging.consumer("fulfillment", table),
                  messaging.retention(Retention.of(settings))],
           checks=..., registry=REGISTRY, close=messaging.close)

The consumer's topics follow from its table (each event class knows its topic). Underneath,
`KafkaPublisher`, `OutboxRelay` and `ConsumerRunner` are public for tests and tools.

The schema: `add_messaging_tables(metadata)` for the ORM and tests,
`create_messaging_tables(op)` in the service's first Alembic migration.

Delivery is at least once from the outbox and exactly once into each handler's
transaction, thanks to the inbox. Decoding errors are `shop_contracts` exceptions:

    ContractError
     +-- PoisonEvent          -> dead-lettered at once
     +-- UnknownEventType     -> skipped

A handler's failure is classified (`classify`): a transient one (database or mail server
unreachable, a dependency timing out, `TransientFailure`) pauses the partition and is
retried for as long as it takes; a permanent one (`PermanentFailure`, invalid data) is
dead-lettered at once; any other is retried a few times, then dead-lettered. Dead
letters are redriven automatically with a growing delay (`DlqRedrive`).

Published outbox rows and inbox rows are purged once their `Retention` ends (7 and 14
days by default; `_retention` says why those two).
"""

from ._consumer import ConsumerRunner
from ._context import correlated, current_traceparent
from ._dispatch import DLQ_REASON_HEADER, Handler
from ._failures import Backoff, Failure, PermanentFailure, TransientFailure, classify
from ._inbox import claim
from ._outbox import NOTIFY_CHANNEL, Outbox
from ._publisher import (
    Delivery,
    KafkaPublisher,
    Publisher,
    Record,
    UnpublishableRecord,
    ensure_topics,
)
from ._redrive import DlqRedrive
from ._relay import OutboxRelay
from ._replay import REPLAY_COUNT_HEADER, replay_dlq
from ._retention import Purged, Retention, purge
from ._tables import (
    INBOX,
    OUTBOX,
    MessagingTables,
    add_messaging_tables,
    create_messaging_tables,
    create_retention_indexes,
    drop_messaging_tables,
    drop_retention_indexes,
)
from ._worker import MessagingWorker, Subscriptions, topics_of

__all__ = [
    "DLQ_REASON_HEADER",
    "INBOX",
    "NOTIFY_CHANNEL",
    "OUTBOX",
    "REPLAY_COUNT_HEADER",
    "Backoff",
    "ConsumerRunner",
    "Delivery",
    "DlqRedrive",
    "Failure",
    "Handler",
    "KafkaPublisher",
    "MessagingTables",
    "MessagingWorker",
    "Outbox",
    "OutboxRelay",
    "PermanentFailure",
    "Publisher",
    "Purged",
    "Record",
    "Retention",
    "Subscriptions",
    "TransientFailure",
    "UnpublishableRecord",
    "add_messaging_tables",
    "claim",
    "classify",
    "correlated",
    "create_messaging_tables",
    "create_retention_indexes",
    "current_traceparent",
    "drop_messaging_tables",
    "drop_retention_indexes",
    "ensure_topics",
    "purge",
    "replay_dlq",
    "topics_of",
]

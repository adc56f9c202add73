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
    Worker(tasks=[messaging.relay(), messaging.consumer("fulfillment", table)],
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
"""

from ._consumer import ConsumerRunner, Handler
from ._context import correlated, current_traceparent
from ._inbox import claim
from ._outbox import NOTIFY_CHANNEL, Outbox
from ._publisher import KafkaPublisher, Publisher, Record, ensure_topics
from ._relay import OutboxRelay
from ._replay import REPLAY_COUNT_HEADER, replay_dlq
from ._tables import (
    INBOX,
    OUTBOX,
    MessagingTables,
    add_messaging_tables,
    create_messaging_tables,
    drop_messaging_tables,
)
from ._worker import MessagingWorker, Subscriptions, topics_of

__all__ = [
    "INBOX",
    "NOTIFY_CHANNEL",
    "OUTBOX",
    "REPLAY_COUNT_HEADER",
    "ConsumerRunner",
    "Handler",
    "KafkaPublisher",
    "MessagingTables",
    "MessagingWorker",
    "Outbox",
    "OutboxRelay",
    "Publisher",
    "Record",
    "Subscriptions",
    "add_messaging_tables",
    "claim",
    "correlated",
    "create_messaging_tables",
    "current_traceparent",
    "drop_messaging_tables",
    "ensure_topics",
    "replay_dlq",
    "topics_of",
]

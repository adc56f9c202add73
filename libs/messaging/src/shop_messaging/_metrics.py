"""Prometheus metrics of the relay and the consumer runner (one set per process)."""

from prometheus_client import Counter, Gauge

EVENTS_PUBLISHED = Counter(
    "shop_outbox_events_published", "Outbox rows published to Kafka by the relay.", ["topic"]
)
RELAY_LAG = Gauge(
    "shop_outbox_relay_lag_seconds",
    "Age of the oldest unpublished outbox row when the relay last looked (0 when empty).",
)
OUTBOX_BACKLOG = Gauge(
    "shop_outbox_backlog",
    "Outbox rows waiting to be published (neither published nor parked) when the relay "
    "last looked.",
)
OUTBOX_PARKED = Counter(
    "shop_outbox_parked",
    "Outbox rows parked because the broker refuses them for good (alert on any).",
    ["topic"],
)
RELAY_ERRORS = Counter(
    "shop_outbox_relay_errors", "Relay passes that failed (broker or database down)."
)
EVENTS_CONSUMED = Counter(
    "shop_consumer_events",
    "Records seen by a consumer runner, by outcome.",
    ["group", "type", "outcome"],  # handled | duplicate | skipped | dead_lettered
)
SAGA_STEPS = Counter(
    "shop_saga_steps",
    "Events handled by a subscription tagged with a saga step (shop_contracts.saga_steps), "
    "by saga and step: how far orders move through each collaborative step.",
    ["group", "saga", "step"],
)
HANDLER_RETRIES = Counter(
    "shop_consumer_handler_retries", "Handler attempts that failed and were retried.", ["group"]
)
HANDLER_FAILURES = Counter(
    "shop_consumer_handler_failures",
    "Handler attempts that failed, by class (transient | permanent | unknown).",
    ["group", "kind"],
)
PARTITIONS_PAUSED = Gauge(
    "shop_consumer_partitions_paused",
    "Partitions paused on a record that is waiting to be retried (a long outage shows here).",
    ["group"],
)
CONSUMER_LAG = Gauge(
    "shop_consumer_lag",
    "Records on a partition not yet committed by the group (end offset - committed), "
    "per group, topic and partition.",
    ["group", "topic", "partition"],
)
DLQ_DEPTH = Gauge(
    "shop_consumer_dlq_depth",
    "Dead letters the automatic redrive has not yet passed, per group and DLQ topic.",
    ["group", "topic"],
)
DLQ_REDRIVEN = Counter(
    "shop_consumer_dlq_redriven",
    "Dead letters sent back to their topic by the automatic redrive.",
    ["group"],
)
DLQ_PARKED = Counter(
    "shop_consumer_dlq_parked",
    "Dead letters the redrive leaves parked for good (poison, or redriven too often): "
    "alert on any increase; `replay-dlq` sends them back by hand.",
    ["group"],
)
ROWS_PURGED = Counter(
    "shop_messaging_rows_purged",
    "Outbox and inbox rows deleted once their retention ended, by table.",
    ["table"],
)

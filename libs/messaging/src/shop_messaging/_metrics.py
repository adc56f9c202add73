"""Prometheus metrics of the relay and the consumer runner (one set per process)."""

from prometheus_client import Counter, Gauge

EVENTS_PUBLISHED = Counter(
    "shop_outbox_events_published", "Outbox rows published to Kafka by the relay.", ["topic"]
)
RELAY_LAG = Gauge(
    "shop_outbox_relay_lag_seconds",
    "Age of the oldest unpublished outbox row when the relay last looked (0 when empty).",
)
RELAY_ERRORS = Counter(
    "shop_outbox_relay_errors", "Relay passes that failed (broker or database down)."
)
EVENTS_CONSUMED = Counter(
    "shop_consumer_events",
    "Records seen by a consumer runner, by outcome.",
    ["group", "type", "outcome"],  # handled | duplicate | skipped | dead_lettered
)
HANDLER_RETRIES = Counter(
    "shop_consumer_handler_retries", "Handler attempts that failed and were retried.", ["group"]
)

"""What the console reads out of a service's /health/ready and /metrics (pure parsing)."""

from reconciliation.adapters.fleet import KEY_METRICS, breaker_states, key_samples

METRICS = """\
# HELP dependency_breaker_state 0 closed, 1 open, 2 half-open
# TYPE dependency_breaker_state gauge
dependency_breaker_state{dependency="payment"} 1.0
# HELP shop_consumer_dlq_depth dead letters waiting
# TYPE shop_consumer_dlq_depth gauge
shop_consumer_dlq_depth{group="fulfillment",topic="fulfillment.dlq"} 2.0
# HELP python_gc_objects_collected_total GC
# TYPE python_gc_objects_collected_total counter
python_gc_objects_collected_total{generation="0"} 12.0
# HELP http_request_duration_seconds latency
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.1"} 3.0
http_request_duration_seconds_count 3.0
"""


def test_key_metrics_are_kept_by_name_and_the_rest_left_on_metrics() -> None:
    samples = {(s.name, s.labels, s.value) for s in key_samples(METRICS, "serve", KEY_METRICS)}
    assert samples == {
        ("dependency_breaker_state", "dependency=payment", 1.0),
        ("shop_consumer_dlq_depth", "group=fulfillment, topic=fulfillment.dlq", 2.0),
    }


def test_breaker_states_are_read_from_the_readiness_checks() -> None:
    ready = {
        "status": "ready",
        "checks": {
            "database": {"status": "up"},
            "breaker_payment": {"status": "up", "state": "open", "failures": 5},
            "breaker_pricing": {"status": "up", "state": "closed", "failures": 0},
        },
    }
    assert breaker_states(ready) == {"payment": "open", "pricing": "closed"}
    assert breaker_states({}) == {}

"""Prometheus metrics of the order's life, on the process-wide registry (the worker's
/metrics serves it: events move an order there), and on the API's registry too
(`ORDER_METRICS`: reconciliation's corrections move an order through the API).

    ORDER_TRANSITIONS.labels("CONFIRMED", "SHIPPED").inc()
"""

from prometheus_client import Counter, Histogram

ORDER_TRANSITIONS = Counter(
    "checkout_order_transitions",
    "Order status changes, by the status left and the status reached",
    ["from_status", "to_status"],
)
ORDER_STATUS_REACHED = Histogram(
    "checkout_order_status_reached_seconds",
    "Time from an order's confirmation to its reaching a status (SHIPPED, COMPLETED, ...)",
    ["status"],
    buckets=(0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600, 21600, 86400),
)

ORDER_METRICS = (ORDER_TRANSITIONS, ORDER_STATUS_REACHED)

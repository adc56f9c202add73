"""Observability set-up shared by every process: JSON logs and OpenTelemetry traces.

from shop_telemetry import configure_logging, configure_tracing, log_context

configure_logging(service="pricing", level="INFO", json_format=True)
configure_tracing(service="pricing", role="serve")   # OTEL_* variables decide export
with log_context(order_id="ord_123"):
    log.info("reserved stock")   # the JSON line carries order_id, trace_id, correlation_id

The correlation id lives in asgi-correlation-id's ContextVar, the only one in the shop:
`shop_servicekit.create_app` sets it from `X-Correlation-Id` (or mints one), the consumer
runner sets it from each event, and `JsonFormatter` writes it on every line.
"""

from shop_telemetry.context import CORRELATION_HEADER, current_context, log_context
from shop_telemetry.logs import configure_logging
from shop_telemetry.tracing import (
    ROLE_ATTRIBUTE,
    configure_tracing,
    exporting,
    instrument_app,
    instrument_httpx,
)

__all__ = [
    "CORRELATION_HEADER",
    "ROLE_ATTRIBUTE",
    "configure_logging",
    "configure_tracing",
    "current_context",
    "exporting",
    "instrument_app",
    "instrument_httpx",
    "log_context",
]

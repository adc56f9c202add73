"""JSON log lines on stdout, one object per line, with trace and request context.

Each line carries the trace and span ids, the correlation id of the request or event being
handled (asgi-correlation-id's ContextVar) and whatever `log_context` added. Processes
write to stdout only; the stack runner (or the container runtime) decides where
the lines go. Third-party loggers (uvicorn, aiokafka, sqlalchemy) go through the same
formatter so one `grep order_id` finds everything about an order.
"""

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from asgi_correlation_id import correlation_id
from opentelemetry import trace

from shop_telemetry.context import current_context

_STANDARD_ATTRS = frozenset(vars(logging.makeLogRecord({})).keys()) | {
    "message",
    "asctime",
    "color_message",  # uvicorn duplicates each message with ANSI colours
}


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "service": self.service,
            "logger": record.name,
            "message": record.getMessage(),
        }
        span_context = trace.get_current_span().get_span_context()
        if span_context.is_valid:
            entry["trace_id"] = format(span_context.trace_id, "032x")
            entry["span_id"] = format(span_context.span_id, "016x")
        entry.update(current_context())
        if (correlation := correlation_id.get()) is not None:
            entry["correlation_id"] = correlation
        # `log.info("...", extra={"sku": "SKU-1"})` lands as top-level fields.
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD_ATTRS})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(*, service: str, level: str = "INFO", json_format: bool = True) -> None:
    """Route every logger to stdout, as JSON lines or as plain text for a terminal.

    configure_logging(service="checkout", level="DEBUG", json_format=False)
    """
    handler = logging.StreamHandler(sys.stdout)
    if json_format:
        handler.setFormatter(JsonFormatter(service))
    else:
        handler.setFormatter(
            logging.Formatter(f"%(asctime)s %(levelname)s {service} %(name)s: %(message)s")
        )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("aiokafka", "uvicorn.access", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True

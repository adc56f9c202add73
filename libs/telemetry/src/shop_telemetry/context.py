"""Per-request (or per-event) values that every log line carries, beside the correlation id.

    with log_context(order_id="ord_1"):
        log.info("captured")   # {"message": "captured", "order_id": "ord_1", ...}

The correlation id is not one of these values: it has one home, asgi-correlation-id's
ContextVar (`asgi_correlation_id.correlation_id`), which the HTTP middleware and the
consumer runner set and the log formatter reads. Context variables follow asyncio tasks, so
a value set for one request or event never leaks into another handled concurrently.
"""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType

CORRELATION_HEADER = "X-Correlation-Id"
"""The HTTP header that carries the correlation id in and out of every service."""

# An immutable default: log_context() always sets a new mapping, never mutates one in place.
_context: ContextVar[Mapping[str, str]] = ContextVar(
    "shop_log_context", default=MappingProxyType({})
)


@contextmanager
def log_context(**values: str | None) -> Iterator[None]:
    """Add values (order_id, sku, ...) to every log line inside the block.

    with log_context(order_id="ord_1"):
        log.info("captured")
    """
    merged = {**_context.get(), **{k: v for k, v in values.items() if v is not None}}
    token = _context.set(merged)
    try:
        yield
    finally:
        _context.reset(token)


def current_context() -> dict[str, str]:
    """The values in force now (a copy)."""
    return dict(_context.get())

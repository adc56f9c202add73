"""Per-request (or per-event) context that every log line carries.

Context variables follow asyncio tasks, so a value set by the request middleware or by a
consumer for one event never leaks into another request handled concurrently.
"""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType

# An immutable default: log_context() always sets a new mapping, never mutates one in place.
_context: ContextVar[Mapping[str, str]] = ContextVar(
    "shop_log_context", default=MappingProxyType({})
)


@contextmanager
def log_context(**values: str | None) -> Iterator[None]:
    """Add values (correlation_id, order_id, ...) to every log line inside the block.

    with log_context(correlation_id="c-1", order_id="ord_1"):
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


def correlation_id() -> str | None:
    """The correlation id of the request or event being handled, if any."""
    return _context.get().get("correlation_id")

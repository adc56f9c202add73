"""Correlation id and W3C trace context carried from a consumed event into new ones.

The correlation id has one home, asgi-correlation-id's ContextVar: the HTTP middleware sets
it per request, `correlated(event)` sets it per consumed event, `Outbox.add` stamps it on
every event written while it is set, and the JSON log formatter writes it on every line.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from asgi_correlation_id import correlation_id
from opentelemetry import propagate
from shop_contracts import CloudEvent


@contextmanager
def correlated(event: CloudEvent[Any]) -> Iterator[str]:
    """Run a block in the event's correlation chain (its correlation id, else its own id).

    with correlated(event):
        await handler(session, event)   # its log lines and outbox events carry the id
    """
    value = event.correlation_id or event.id
    token = correlation_id.set(value)
    try:
        yield value
    finally:
        correlation_id.reset(token)


def current_traceparent() -> str | None:
    """The W3C traceparent of the current span, if there is a valid one."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier.get("traceparent")

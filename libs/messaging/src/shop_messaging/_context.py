"""Correlation id and W3C trace context carried from a consumed event into new ones."""

from __future__ import annotations

from contextvars import ContextVar

from opentelemetry import propagate

correlation_id: ContextVar[str | None] = ContextVar("shop_correlation_id", default=None)
"""The correlation id of the request or event being handled, if any.

The consumer runner sets it around each handler; an HTTP middleware may set it per request.
`Outbox.add` stamps it on every event written while it is set.
"""


def current_traceparent() -> str | None:
    """The W3C traceparent of the current span, if there is a valid one."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier.get("traceparent")

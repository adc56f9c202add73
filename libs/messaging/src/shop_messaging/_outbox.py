"""The outbox writer: an event is stored with the state change that caused it.

It never talks to Kafka; the relay does. Rows become visible to the relay when the caller's
transaction commits, and not before.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import sqlalchemy as sa
from asgi_correlation_id import correlation_id as correlation_id_var
from shop_contracts import CloudEvent, Event, to_kafka
from sqlalchemy.ext.asyncio import AsyncSession

from ._context import current_traceparent
from ._tables import outbox_table
from ._tracing import creating

NOTIFY_CHANNEL = "shop_outbox"


class Outbox:
    """Adds events to the `outbox` table in the caller's transaction.

        outbox = Outbox()
        async with session.begin():
            session.add(order)
            await outbox.add(session, OrderConfirmed(...))

    The current trace context and correlation id (asgi-correlation-id's ContextVar, set by
    the HTTP middleware or the consumer runner) are stamped on the event unless given.
    """

    def __init__(self, *, notify_channel: str = NOTIFY_CHANNEL) -> None:
        self._notify = sa.select(sa.func.pg_notify(notify_channel, ""))

    async def add(
        self,
        session: AsyncSession,
        event: CloudEvent[Event] | Event,
        *,
        correlation_id: str | None = None,
    ) -> CloudEvent[Event]:
        """Store one event; returns the envelope as it will be published."""
        if isinstance(event, Event):
            event = CloudEvent.create(event)
        # The event carries the context of its `create` span (when spans are exported).
        with creating(event.topic, event.id, event.subject):
            envelope = self._envelope(event, correlation_id)
        key, value, headers = to_kafka(envelope)
        await session.execute(
            sa.insert(outbox_table).values(
                event_id=envelope.id,
                topic=envelope.topic,
                key=key.decode(),
                type=envelope.type,
                headers=[[name, raw.decode()] for name, raw in headers],
                payload=json.loads(value),
            )
        )
        # Delivered at commit (and folded into one per transaction by PostgreSQL), so the
        # relay wakes at once instead of on its next poll.
        await session.execute(self._notify)
        return envelope

    async def requeue(self, session: AsyncSession, event_id: str) -> bool:
        """Mark a published (or parked) event unpublished, so the relay sends it again (a
        repair; for a parked row, once its cause is fixed).

        async with session.begin():
            found = await outbox.requeue(session, "evt_...")
        """
        result: Any = await session.execute(
            sa.update(outbox_table)
            .where(outbox_table.c.event_id == event_id)
            .values(published_at=None, parked_at=None, park_reason=None)
        )
        if result.rowcount:
            await session.execute(self._notify)
        return bool(result.rowcount)

    @staticmethod
    def _envelope(
        event: CloudEvent[Event] | Event, correlation_id: str | None
    ) -> CloudEvent[Event]:
        if isinstance(event, Event):
            event = CloudEvent.create(event)
        return dataclasses.replace(
            event,
            correlation_id=event.correlation_id or correlation_id or correlation_id_var.get(),
            traceparent=event.traceparent or current_traceparent(),
        )

"""Upcasters: an older version of an event, read as its newer version.

While an event moves from v1 to v2 the log holds both. Consumers subscribe to v2 only;
`from_kafka` turns every v1 record it decodes into v2 with the upcaster registered here, so
a handler is written once, for the newest version. The how-to: docs/event-versioning.md.

    UPCASTERS[ShipmentDispatched.event_type].convert(v1_payload, event_time)  # -> v2 payload
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any

from ._base import Event
from ._events import OrderConfirmed, OrderConfirmedV2, ShipmentDispatched, ShipmentDispatchedV2


@dataclass(frozen=True)
class Upcaster:
    """`convert(old_payload, event_time)` -> the payload as `target`."""

    source: type[Event]
    target: type[Event]
    convert: Callable[[Any, datetime], Event]


def _dispatched_v1_to_v2(old: ShipmentDispatched, time: datetime) -> ShipmentDispatchedV2:
    # v1 had no dispatch time: the event's own time (ce_time, set when the dispatch was
    # written to the outbox) is the best record of it.
    return ShipmentDispatchedV2(
        order_id=old.order_id,
        shipment_id=old.shipment_id,
        carrier=old.carrier,
        tracking_number=old.tracking,
        dispatched_at=time,
    )


def _confirmed_v1_to_v2(old: OrderConfirmed, time: datetime) -> OrderConfirmedV2:
    # v2 drops the email and the address (ADR 0010): a v1 record read now reaches its
    # consumers without them. Communications then has no recipient for it and dead-letters
    # it; reconciliation's missing-notification repair resends with the recipient.
    return OrderConfirmedV2(
        order_id=old.order_id,
        customer_id=old.customer_id,
        lines=old.lines,
        total=old.total,
        reservation_id=old.reservation_id,
        authorization_id=old.authorization_id,
        confirmed_at=old.confirmed_at,
    )


UPCASTERS: Mapping[str, Upcaster] = MappingProxyType(
    {
        ShipmentDispatched.event_type: Upcaster(
            ShipmentDispatched, ShipmentDispatchedV2, _dispatched_v1_to_v2
        ),
        OrderConfirmed.event_type: Upcaster(OrderConfirmed, OrderConfirmedV2, _confirmed_v1_to_v2),
    }
)
"""Old event type -> how to read it as the newer one."""

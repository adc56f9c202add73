"""Type string -> payload class, the table decoding starts from."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ._base import Event
from ._events import (
    BackorderDeclared,
    CustomerNotified,
    OrderCancelled,
    OrderConfirmed,
    OrderConfirmedV2,
    OrderContactShared,
    PaymentCaptured,
    PaymentCaptureFailed,
    PaymentRefunded,
    PaymentVoided,
    ReservationCommitted,
    ReservationReleased,
    ReturnReceived,
    ReturnRequested,
    ReturnRestocked,
    ShipmentCreated,
    ShipmentDispatched,
    ShipmentDispatchedV2,
    StockReplenished,
)

_ALL: tuple[type[Event], ...] = (
    OrderConfirmed,
    OrderConfirmedV2,
    OrderContactShared,
    OrderCancelled,
    ShipmentCreated,
    BackorderDeclared,
    ShipmentDispatched,
    ShipmentDispatchedV2,
    ReservationCommitted,
    ReservationReleased,
    StockReplenished,
    ReturnRestocked,
    PaymentCaptured,
    PaymentVoided,
    PaymentCaptureFailed,
    PaymentRefunded,
    CustomerNotified,
    ReturnRequested,
    ReturnReceived,
)

EVENT_TYPES: Mapping[str, type[Event]] = MappingProxyType({cls.event_type: cls for cls in _ALL})
"""Every known CloudEvents `type` string and its payload class."""


def _by_topic() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for cls in _ALL:
        table[cls.topic] = (*table.get(cls.topic, ()), cls.event_type)
    return table


TOPIC_EVENT_TYPES: Mapping[str, tuple[str, ...]] = MappingProxyType(_by_topic())
"""Each topic and the event types that travel on it."""

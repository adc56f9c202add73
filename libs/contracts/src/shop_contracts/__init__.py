"""The shop's published language: event payloads, topic names and the CloudEvents envelope.

    from shop_contracts import CloudEvent, OrderConfirmedV2, from_kafka, to_kafka

    event = CloudEvent.create(OrderConfirmedV2(...), correlation_id="req_42")
    key, value, headers = to_kafka(event)       # producer side (via the outbox)
    decoded = from_kafka(key, value, headers)   # consumer side
    assert isinstance(decoded.data, OrderConfirmedV2)

Only events live here: HTTP models belong to the service that serves them, and domain
models are never shared.

Exceptions:

    ContractError
     +-- PoisonEvent              never decodable: dead-letter it
     |    +-- MissingHeader       a required ce_* header is absent
     |    +-- MalformedEvent      bad JSON, specversion, time or content type
     |    +-- InvalidEventData    JSON that does not match the event's schema
     +-- UnknownEventType         well-formed, but a type this version does not know: skip
"""

from . import topics
from ._base import Event, Money
from ._envelope import CONTENT_TYPE, SPECVERSION, CloudEvent, from_kafka, new_event_id, to_kafka
from ._errors import (
    ContractError,
    InvalidEventData,
    MalformedEvent,
    MissingHeader,
    PoisonEvent,
    UnknownEventType,
)
from ._events import (
    Address,
    BackorderDeclared,
    CustomerNotified,
    OrderCancelled,
    OrderConfirmed,
    OrderConfirmedV2,
    OrderContactShared,
    OrderLine,
    PaymentCaptured,
    PaymentCaptureFailed,
    PaymentRefunded,
    PaymentVoided,
    ReservationCommitted,
    ReservationReleased,
    ReturnLine,
    ReturnReceived,
    ReturnRequested,
    ReturnRestocked,
    ShipmentCreated,
    ShipmentDispatched,
    ShipmentDispatchedV2,
    ShipmentLine,
    StockReplenished,
)
from ._registry import EVENT_TYPES, TOPIC_EVENT_TYPES

__all__ = [
    "CONTENT_TYPE",
    "EVENT_TYPES",
    "SPECVERSION",
    "TOPIC_EVENT_TYPES",
    "Address",
    "BackorderDeclared",
    "CloudEvent",
    "ContractError",
    "CustomerNotified",
    "Event",
    "InvalidEventData",
    "MalformedEvent",
    "MissingHeader",
    "Money",
    "OrderCancelled",
    "OrderConfirmed",
    "OrderConfirmedV2",
    "OrderContactShared",
    "OrderLine",
    "PaymentCaptureFailed",
    "PaymentCaptured",
    "PaymentRefunded",
    "PaymentVoided",
    "PoisonEvent",
    "ReservationCommitted",
    "ReservationReleased",
    "ReturnLine",
    "ReturnReceived",
    "ReturnRequested",
    "ReturnRestocked",
    "ShipmentCreated",
    "ShipmentDispatched",
    "ShipmentDispatchedV2",
    "ShipmentLine",
    "StockReplenished",
    "UnknownEventType",
    "from_kafka",
    "new_event_id",
    "to_kafka",
    "topics",
]

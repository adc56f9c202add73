"""The CloudEvents 1.0 envelope in the Kafka binary binding.

Attributes travel as `ce_*` headers, the payload alone is the record value, and the key is
the subject (the order id) so one order's events stay in one partition, in order.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Generic, TypeVar

from pydantic import ValidationError

from ._base import Event
from ._errors import InvalidEventData, MalformedEvent, MissingHeader, UnknownEventType
from ._registry import EVENT_TYPES
from .upcasting import UPCASTERS, Upcaster

SPECVERSION = "1.0"
CONTENT_TYPE = "application/json"

E_co = TypeVar("E_co", bound=Event, covariant=True)
E = TypeVar("E", bound=Event)

Headers = list[tuple[str, bytes]]


def new_event_id() -> str:
    """A fresh, globally unique event id: `evt_` and 32 hex digits."""
    return f"evt_{uuid.uuid4().hex}"


@dataclass(frozen=True)
class CloudEvent(Generic[E_co]):
    """One event: the CloudEvents attributes plus the typed payload.

        event = CloudEvent.create(OrderConfirmed(...), correlation_id="req_42")
        key, value, headers = to_kafka(event)

    `type`, `source` and `subject` follow from the payload; use `create` rather than the
    constructor unless decoding.
    """

    id: str
    source: str
    type: str
    subject: str
    time: datetime
    data: E_co
    correlation_id: str | None = None
    traceparent: str | None = None
    extra_headers: tuple[tuple[str, bytes], ...] = field(default=(), compare=False)

    @staticmethod
    def create(
        data: E,
        *,
        correlation_id: str | None = None,
        traceparent: str | None = None,
        id: str | None = None,
        time: datetime | None = None,
    ) -> CloudEvent[E]:
        return CloudEvent(
            id=id or new_event_id(),
            source=data.source,
            type=data.event_type,
            subject=data.subject,
            time=time or datetime.now(UTC),
            data=data,
            correlation_id=correlation_id,
            traceparent=traceparent,
        )

    @property
    def topic(self) -> str:
        return self.data.topic


def to_kafka(event: CloudEvent[Event]) -> tuple[bytes, bytes, Headers]:
    """Encode an event as a Kafka record: `(key, value, headers)`.

    key, value, headers = to_kafka(event)
    await producer.send_and_wait(event.topic, value, key=key, headers=headers)
    """
    headers: Headers = [
        ("ce_specversion", SPECVERSION.encode()),
        ("ce_id", event.id.encode()),
        ("ce_source", event.source.encode()),
        ("ce_type", event.type.encode()),
        ("ce_time", event.time.astimezone(UTC).isoformat().replace("+00:00", "Z").encode()),
        ("ce_subject", event.subject.encode()),
        ("content-type", CONTENT_TYPE.encode()),
    ]
    if event.correlation_id:
        headers.append(("ce_correlationid", event.correlation_id.encode()))
    if event.traceparent:
        headers.append(("traceparent", event.traceparent.encode()))
    headers.extend(event.extra_headers)
    value = event.data.model_dump_json().encode()
    return event.subject.encode(), value, headers


_REQUIRED = ("ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "ce_subject")
_KNOWN = frozenset((*_REQUIRED, "content-type", "ce_correlationid", "traceparent"))


def from_kafka(
    key: bytes | None,
    value: bytes | None,
    headers: Sequence[tuple[str, bytes]],
    *,
    registry: Mapping[str, type[Event]] = EVENT_TYPES,
    upcasters: Mapping[str, Upcaster] = UPCASTERS,
) -> CloudEvent[Event]:
    """Decode a Kafka record into an event, or say precisely why it cannot be.

        try:
            event = from_kafka(record.key, record.value, record.headers)
        except PoisonEvent:
            ...  # to the dead-letter topic
        except UnknownEventType:
            ...  # skip: a newer producer's event

    An older version with an upcaster arrives as its newer version (`type` included): the
    consumer subscribes to the newest only (shop_contracts.upcasting).

    Raises `MissingHeader`, `MalformedEvent` or `InvalidEventData` (all `PoisonEvent`),
    or `UnknownEventType`. Headers this module does not know are kept in `extra_headers`.
    """
    attrs: dict[str, str] = {}
    extra: list[tuple[str, bytes]] = []
    for name, raw in headers:
        if name not in _KNOWN:
            extra.append((name, raw))
            continue
        try:
            attrs[name] = raw.decode()
        except (UnicodeDecodeError, AttributeError) as exc:
            raise MissingHeader(f"header {name!r} is not UTF-8 text") from exc
    missing = [name for name in _REQUIRED if not attrs.get(name)]
    if missing:
        raise MissingHeader(f"missing CloudEvents header(s): {', '.join(missing)}")
    if attrs["ce_specversion"] != SPECVERSION:
        raise MalformedEvent(f"unsupported specversion {attrs['ce_specversion']!r}")
    content_type = attrs.get("content-type", CONTENT_TYPE)
    if content_type.split(";")[0].strip() != CONTENT_TYPE:
        raise MalformedEvent(f"unsupported content-type {content_type!r}")
    try:
        time = datetime.fromisoformat(attrs["ce_time"])
    except ValueError as exc:
        raise MalformedEvent(f"ce_time is not RFC 3339: {attrs['ce_time']!r}") from exc
    if time.tzinfo is None:
        raise MalformedEvent("ce_time has no UTC offset")

    model = registry.get(attrs["ce_type"])
    if model is None:
        raise UnknownEventType(attrs["ce_type"], attrs["ce_id"])
    if value is None:
        raise MalformedEvent("record has no value")
    try:
        payload = json.loads(value)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedEvent(f"value is not JSON: {exc}") from exc
    try:
        data = model.model_validate(payload)
    except ValidationError as exc:
        raise InvalidEventData(f"{attrs['ce_type']}: {exc}") from exc

    event_type = attrs["ce_type"]
    upcaster = upcasters.get(event_type)
    if upcaster is not None:
        data, event_type = upcaster.convert(data, time), upcaster.target.event_type

    return CloudEvent(
        id=attrs["ce_id"],
        source=attrs["ce_source"],
        type=event_type,
        subject=attrs["ce_subject"],
        time=time,
        data=data,
        correlation_id=attrs.get("ce_correlationid"),
        traceparent=attrs.get("traceparent"),
        extra_headers=tuple(extra),
    )

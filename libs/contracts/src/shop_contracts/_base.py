"""The base class of every event payload and the value objects payloads share.

Payloads are facts other contexts rely on, so they are strict (unknown fields are
rejected) and immutable. Money is integer minor units plus an ISO 4217 code: never a float.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

# `shop.<producer>.<EventName>.v<N>`: the producer is also the CloudEvents source.
_TYPE_PATTERN = re.compile(
    r"^shop\.(?P<producer>[a-z]+)\.(?P<name>[A-Z][A-Za-z]+)\.v(?P<version>[1-9][0-9]*)$"
)

Id = Annotated[str, Field(min_length=1, max_length=64)]
Sku = Annotated[str, Field(min_length=1, max_length=64)]
Reason = Annotated[str, Field(min_length=1, max_length=500)]


class Value(BaseModel):
    """A strict, immutable value object inside an event payload."""

    # A validation error names the field, never its value: the error of a malformed
    # record reaches logs and dead-letter headers, and a value may be personal (ADR 0010).
    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)


class Money(Value):
    """An amount in minor units (cents) of an ISO 4217 currency."""

    amount: int = Field(ge=0)
    currency: str = Field(pattern=r"^[A-Z]{3}$")


class Event(Value):
    """Base of every event payload (the CloudEvents `data`).

        class OrderConfirmed(Event):
            event_type: ClassVar[str] = "shop.checkout.OrderConfirmed.v1"
            topic: ClassVar[str] = topics.ORDERS
            order_id: Id

    Subclasses declare their CloudEvents `type` and their topic; the producer (and so the
    CloudEvents `source`, "/checkout") is read from the type string.
    """

    event_type: ClassVar[str]
    topic: ClassVar[str]
    source: ClassVar[str]

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        match = _TYPE_PATTERN.match(cls.event_type)
        # v1 is `OrderConfirmed`; a later version's class says its number: `...V2`.
        version = "" if match is None or match["version"] == "1" else f"V{match['version']}"
        if match is None or f"{match['name']}{version}" != cls.__name__:
            raise TypeError(f"{cls.__name__}: malformed event_type {cls.event_type!r}")
        # Topics are named after their producer; catching a mismatch here keeps the table
        # in docs/architecture.md ("Events and topics") and the code from drifting apart.
        if not cls.topic.startswith(f"{match['producer']}."):
            raise TypeError(f"{cls.__name__}: topic {cls.topic!r} is not its producer's")
        cls.source = f"/{match['producer']}"

    @property
    def subject(self) -> str:
        """The entity the event is about, also the Kafka key: the order id by default."""
        order_id = getattr(self, "order_id", None)
        if not isinstance(order_id, str):
            raise NotImplementedError(f"{type(self).__name__} must define its subject")
        return order_id

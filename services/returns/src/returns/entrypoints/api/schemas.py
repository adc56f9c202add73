"""Returns' HTTP request and response models (they belong to this service alone).

Request bodies end in `Body`, responses in `View`; the use cases never see either.
"""

import hashlib
import json
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from returns.domain.returns import Return

Sku = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]
OrderId = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
]


class LineBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: Sku
    quantity: int = Field(gt=0, le=1000)


class ReturnBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    order_id: OrderId
    lines: list[LineBody] = Field(min_length=1, max_length=100)
    reason: str | None = Field(default=None, max_length=500)

    @field_validator("lines")
    @classmethod
    def one_line_per_sku(cls, lines: list[LineBody]) -> list[LineBody]:
        skus = [line.sku for line in lines]
        if len(set(skus)) != len(skus):
            raise ValueError("each SKU once: add the quantities up")
        return lines

    def quantities(self) -> dict[str, int]:
        return {line.sku: line.quantity for line in self.lines}

    def fingerprint(self) -> str:
        """The body's digest: the same key with another body is a reused key."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()


class MoneyView(BaseModel):
    amount: int
    currency: str


class LineView(BaseModel):
    sku: str
    quantity: int


class TimelineEntryView(BaseModel):
    type: str
    source: str
    occurred_at: datetime
    detail: dict[str, Any]


class ReturnView(BaseModel):
    return_id: str
    order_id: str
    status: str
    lines: list[LineView]
    refund: MoneyView
    requested_at: datetime
    received_at: datetime | None
    refunded_at: datetime | None
    restocked_at: datetime | None
    timeline: list[TimelineEntryView]

    @classmethod
    def of(cls, ret: Return) -> "ReturnView":
        return cls(
            return_id=ret.id,
            order_id=ret.order_id,
            status=ret.status.value,
            lines=[LineView(sku=s, quantity=q) for s, q in sorted(ret.lines.items())],
            refund=MoneyView(amount=ret.refund_amount, currency=ret.currency),
            requested_at=ret.requested_at,
            received_at=ret.received_at,
            refunded_at=ret.refunded_at,
            restocked_at=ret.restocked_at,
            timeline=[
                TimelineEntryView(
                    type=t.type, source=t.source, occurred_at=t.occurred_at, detail=dict(t.detail)
                )
                for t in ret.timeline
            ],
        )

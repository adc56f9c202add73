"""Checkout's HTTP request and response models (they belong to this service alone)."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from checkout.domain.orders import Order
from checkout.domain.progress import CORRECTABLE, Fact

Sku = Annotated[str, Field(pattern=r"^[A-Z0-9][A-Z0-9-]{1,63}$")]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
Email = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)]
Text = Annotated[str, Field(min_length=1, max_length=200)]
IdempotencyKey = Annotated[str, Field(pattern=r"^[\x21-\x7e]{8,255}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Customer(Strict):
    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
    email: Email


class CheckoutItem(Strict):
    sku: Sku
    quantity: int = Field(ge=1, le=100)


class ShippingAddress(Strict):
    name: Text
    line1: Text
    city: Annotated[str, Field(min_length=1, max_length=100)]
    postal_code: Annotated[str, Field(min_length=1, max_length=20)]
    country: Country


class PaymentIn(Strict):
    token: Annotated[str, Field(min_length=1, max_length=64)]


class CheckoutRequest(Strict):
    customer: Customer
    items: list[CheckoutItem] = Field(min_length=1, max_length=50)
    shipping_address: ShippingAddress
    payment: PaymentIn
    currency: Currency

    def fingerprint(self) -> str:
        """The same body, however its keys were ordered, hashes the same."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


class CancelRequest(Strict):
    reason: Annotated[str, Field(min_length=1, max_length=500)] | None = None


class FactsIn(Strict):
    """The downstream facts reconciliation found; true adds a fact, false or absent says
    nothing (facts only accumulate: nothing here takes one back)."""

    backordered: StrictBool = False
    shipped: StrictBool = False
    dispatched: StrictBool = False
    captured: StrictBool = False
    voided: StrictBool = False
    notified: StrictBool = False

    def facts(self) -> frozenset[Fact]:
        return frozenset(fact for fact in CORRECTABLE if getattr(self, fact.value))


class RepublishedOut(BaseModel):
    order_id: str
    event_id: str
    requeued: bool


class Money(BaseModel):
    amount: int
    currency: str


class LineOut(BaseModel):
    sku: str
    name: str
    quantity: int
    unit_price: Money
    line_total: Money


class TimelineOut(BaseModel):
    type: str
    source: str
    occurred_at: datetime
    detail: dict[str, Any]


class OrderOut(BaseModel):
    order_id: str
    status: str
    reject_reason: str | None
    total: Money
    subtotal: Money
    shipping: Money
    tax: Money
    lines: list[LineOut]
    fulfillment_status: str
    payment_status: str
    notification_status: str
    reservation_id: str | None
    authorization_id: str | None
    created_at: datetime
    timeline: list[TimelineOut]

    @classmethod
    def of(cls, order: Order) -> OrderOut:
        cart = order.cart

        def money(amount: int) -> Money:
            return Money(amount=amount, currency=order.currency)

        return cls(
            order_id=order.id,
            status=order.status.value,
            reject_reason=order.reject_reason,
            total=money(order.total),
            subtotal=money(cart.subtotal if cart else 0),
            shipping=money(cart.shipping if cart else 0),
            tax=money(cart.tax if cart else 0),
            lines=lines_of(order),
            fulfillment_status=order.fulfillment_status,
            payment_status=order.payment_status,
            notification_status=order.notification_status,
            reservation_id=order.reservation_id,
            authorization_id=order.authorization_id,
            created_at=order.created_at,
            timeline=[
                TimelineOut(
                    type=e.type, source=e.source, occurred_at=e.occurred_at, detail=e.detail
                )
                for e in order.timeline
            ],
        )


def lines_of(order: Order) -> list[LineOut]:
    lines = order.cart.lines if order.cart else ()
    return [
        LineOut(
            sku=line.sku,
            name=line.name,
            quantity=line.quantity,
            unit_price=Money(amount=line.unit_price, currency=order.currency),
            line_total=Money(amount=line.line_total, currency=order.currency),
        )
        for line in lines
    ]


def created_body(order: Order) -> dict[str, Any]:
    """The 201 body, as stored for replays (JSON-ready, so a replay is identical)."""
    return {
        "order_id": order.id,
        "status": order.status.value,
        "total": {"amount": order.total, "currency": order.currency},
        "lines": [line.model_dump(mode="json") for line in lines_of(order)],
        "fulfillment_status": order.fulfillment_status,
        "created_at": order.created_at.isoformat().replace("+00:00", "Z"),
    }

"""Checkout's HTTP request bodies (`...Body`) and response views (`...View`)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from checkout.domain.orders import Address, Order, OrderLine, OrderRequest
from checkout.domain.progress import CORRECTABLE, Fact

Sku = Annotated[str, Field(pattern=r"^[A-Z0-9][A-Z0-9-]{1,63}$")]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
Email = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)]
Text = Annotated[str, Field(min_length=1, max_length=200)]
IdempotencyKey = Annotated[str, Field(pattern=r"^[\x21-\x7e]{8,255}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CustomerBody(Strict):
    # The owner is the bearer token's subject; an id sent here must be that same one.
    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")] | None = None
    email: Email


class ItemBody(Strict):
    sku: Sku
    quantity: int = Field(ge=1, le=100)


class AddressBody(Strict):
    name: Text
    line1: Text
    city: Annotated[str, Field(min_length=1, max_length=100)]
    postal_code: Annotated[str, Field(min_length=1, max_length=20)]
    country: Country


class PaymentBody(Strict):
    token: Annotated[str, Field(min_length=1, max_length=64)]


class CheckoutBody(Strict):
    customer: CustomerBody
    items: list[ItemBody] = Field(min_length=1, max_length=50)
    shipping_address: AddressBody
    payment: PaymentBody
    currency: Currency

    def to_request(self, order_id: str, customer_id: str) -> OrderRequest:
        address = self.shipping_address
        return OrderRequest(
            order_id=order_id,
            customer_id=customer_id,
            customer_email=self.customer.email,
            items=[(item.sku, item.quantity) for item in self.items],
            shipping_address=Address(
                address.name, address.line1, address.city, address.postal_code, address.country
            ),
            payment_token=self.payment.token,
            currency=self.currency,
        )

    def fingerprint(self) -> str:
        """The same body, however its keys were ordered, hashes the same."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


class CancelBody(Strict):
    reason: Annotated[str, Field(min_length=1, max_length=500)] | None = None


class FactsBody(Strict):
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


class RepublishedView(BaseModel):
    order_id: str
    event_id: str
    requeued: bool


class MoneyView(BaseModel):
    amount: int
    currency: str


class LineView(BaseModel):
    sku: str
    name: str
    quantity: int
    unit_price: MoneyView
    line_total: MoneyView


class CheckoutCreatedView(BaseModel):
    """The 201 body of POST /v1/checkouts (answers.created_body writes it; this documents it)."""

    order_id: str
    status: str
    total: MoneyView
    lines: list[LineView]
    fulfillment_status: str
    created_at: datetime


class TimelineView(BaseModel):
    type: str
    source: str
    occurred_at: datetime
    detail: dict[str, Any]


class OrderView(BaseModel):
    order_id: str
    status: str
    reject_reason: str | None
    total: MoneyView
    subtotal: MoneyView
    shipping: MoneyView
    tax: MoneyView
    lines: list[LineView]
    fulfillment_status: str
    payment_status: str
    notification_status: str
    reservation_id: str | None
    authorization_id: str | None
    created_at: datetime
    timeline: list[TimelineView]
    # Set on an order that failed transiently: the order its Idempotency-Key's retry placed.
    superseded_by: str | None = None

    @classmethod
    def of(cls, order: Order) -> OrderView:
        cart = order.cart

        def money(amount: int) -> MoneyView:
            return MoneyView(amount=amount, currency=order.currency)

        return cls(
            order_id=order.id,
            status=order.status.value,
            reject_reason=order.reject_reason,
            total=money(order.total),
            subtotal=money(cart.subtotal if cart else 0),
            shipping=money(cart.shipping if cart else 0),
            tax=money(cart.tax if cart else 0),
            lines=lines_of(order.cart.lines if order.cart else (), order.currency),
            fulfillment_status=order.fulfillment_status,
            payment_status=order.payment_status,
            notification_status=order.notification_status,
            reservation_id=order.reservation_id,
            authorization_id=order.authorization_id,
            created_at=order.created_at,
            superseded_by=order.superseded_by,
            timeline=[
                TimelineView(
                    type=e.type, source=e.source, occurred_at=e.occurred_at, detail=e.detail
                )
                for e in order.timeline
            ],
        )


def lines_of(lines: Iterable[OrderLine], currency: str) -> list[LineView]:
    return [
        LineView(
            sku=line.sku,
            name=line.name,
            quantity=line.quantity,
            unit_price=MoneyView(amount=line.unit_price, currency=currency),
            line_total=MoneyView(amount=line.line_total, currency=currency),
        )
        for line in lines
    ]

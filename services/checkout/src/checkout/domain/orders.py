"""An order and the reasons a checkout is refused. Plain rules, standard library only.

Money is integer minor units of the order's currency.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

# (sku, quantity) pairs, as the customer asked for them.
Items = list[tuple[str, int]]


class OrderStatus(StrEnum):
    CONFIRMED = "CONFIRMED"
    BACKORDERED = "BACKORDERED"
    SHIPPED = "SHIPPED"
    COMPLETED = "COMPLETED"
    REJECTED = "REJECTED"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True)
class Address:
    name: str
    line1: str
    city: str
    postal_code: str
    country: str


@dataclass(frozen=True)
class OrderLine:
    sku: str
    name: str
    quantity: int
    unit_price: int

    @property
    def line_total(self) -> int:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class PricedCart:
    """Pricing's quote, as much of it as an order keeps."""

    quote_id: str
    lines: tuple[OrderLine, ...]
    subtotal: int
    shipping: int
    tax: int
    total: int


@dataclass(frozen=True)
class TimelineEntry:
    type: str
    source: str
    occurred_at: datetime
    detail: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class OrderRequest:
    """What the customer asked for: the cart, where to ship it and how to pay."""

    order_id: str
    customer_id: str
    customer_email: str
    items: Items
    shipping_address: Address
    payment_token: str
    currency: str


@dataclass(frozen=True)
class Order:
    id: str
    status: OrderStatus
    customer_id: str
    customer_email: str
    currency: str
    shipping_address: Address
    created_at: datetime
    cart: PricedCart | None = None
    reservation_id: str | None = None
    authorization_id: str | None = None
    reject_reason: str | None = None
    fulfillment_status: str = "PENDING"
    payment_status: str = "AUTHORIZED"
    notification_status: str = "PENDING"
    timeline: tuple[TimelineEntry, ...] = ()
    # A transient failure's order replaced by the retry under the same key (ADR 0011).
    superseded_by: str | None = None

    @property
    def total(self) -> int:
        return self.cart.total if self.cart else 0


class CheckoutRejected(Exception):
    """A definitive "no" for the customer. `slug` names the reason (a problem type)."""

    slug = "checkout-rejected"


class UnknownSkus(CheckoutRejected):
    slug = "unknown-sku"

    def __init__(self, skus: list[str]) -> None:
        super().__init__(f"unknown SKUs: {', '.join(skus)}")
        self.skus = skus


class HoldEnded(Exception):
    """Inventory no longer holds the order's stock (released or expired)."""


class Refusal(CheckoutRejected):
    """Another definitive refusal, named by its slug (a currency or destination pricing does
    not serve, a payment token payment does not know)."""

    def __init__(self, slug: str, detail: str) -> None:
        super().__init__(detail)
        self.slug = slug


class OutOfStock(CheckoutRejected):
    slug = "out-of-stock"

    def __init__(self, skus: list[str]) -> None:
        super().__init__(f"not enough stock of: {', '.join(skus)}")
        self.skus = skus


class PaymentDeclined(CheckoutRejected):
    slug = "payment-declined"

    def __init__(self, detail: str = "the payment was declined") -> None:
        super().__init__(detail)


class FraudSuspected(CheckoutRejected):
    slug = "fraud-suspected"

    def __init__(self, detail: str = "the payment was stopped by the fraud screen") -> None:
        super().__init__(detail)

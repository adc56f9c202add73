"""Every event the shop publishes, grouped by topic (docs/architecture.md, "Events and topics").

Payloads carry what consumers need and no more; never card data. A customer's email
travels only on `checkout.contacts`, to the one service that mails them (ADR 0010).
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import AwareDatetime, Field

from . import topics
from ._base import Event, Id, Money, Reason, Sku, Value


class OrderLine(Value):
    sku: Sku
    quantity: int = Field(gt=0)
    unit_price: Money


class ShipmentLine(Value):
    sku: Sku
    quantity: int = Field(gt=0)


class ReturnLine(Value):
    sku: Sku
    quantity: int = Field(gt=0)


class Address(Value):
    name: str = Field(min_length=1, max_length=200)
    line1: str = Field(min_length=1, max_length=200)
    city: str = Field(min_length=1, max_length=100)
    postal_code: str = Field(min_length=1, max_length=20)
    country: str = Field(pattern=r"^[A-Z]{2}$")


# -- checkout.orders ---------------------------------------------------------------------


class OrderConfirmed(Event):
    """v1 carried the customer's email and address to every consumer; superseded by v2,
    its records still in the log reach consumers as v2 (`shop_contracts.upcasting`)."""

    event_type: ClassVar[str] = "shop.checkout.OrderConfirmed.v1"
    topic: ClassVar[str] = topics.ORDERS

    order_id: Id
    customer_id: Id
    customer_email: str = Field(pattern=r"^[^@\s]+@[^@\s]+$", max_length=254)
    lines: tuple[OrderLine, ...] = Field(min_length=1)
    total: Money
    reservation_id: Id
    authorization_id: Id
    shipping_address: Address
    confirmed_at: AwareDatetime


class OrderConfirmedV2(Event):
    """v2 (ADR 0010): the order without personal data. The customer's email reaches
    communications alone, as OrderContactShared on `checkout.contacts`; the address stays
    in checkout."""

    event_type: ClassVar[str] = "shop.checkout.OrderConfirmed.v2"
    topic: ClassVar[str] = topics.ORDERS

    order_id: Id
    customer_id: Id
    lines: tuple[OrderLine, ...] = Field(min_length=1)
    total: Money
    reservation_id: Id
    authorization_id: Id
    confirmed_at: AwareDatetime


class OrderCancelled(Event):
    event_type: ClassVar[str] = "shop.checkout.OrderCancelled.v1"
    topic: ClassVar[str] = topics.ORDERS

    order_id: Id
    reason: Reason
    reservation_id: Id | None = None
    authorization_id: Id | None = None


# -- checkout.contacts: personal data, read by communications only (ADR 0010) -------------


class OrderContactShared(Event):
    """How to reach the customer about an order: written with the order's OrderConfirmed
    (same transaction), on a topic of its own so that only its readers receive it."""

    event_type: ClassVar[str] = "shop.checkout.OrderContactShared.v1"
    topic: ClassVar[str] = topics.CONTACTS

    order_id: Id
    customer_id: Id
    customer_email: str = Field(pattern=r"^[^@\s]+@[^@\s]+$", max_length=254)


# -- fulfillment.shipments ---------------------------------------------------------------


class ShipmentCreated(Event):
    event_type: ClassVar[str] = "shop.fulfillment.ShipmentCreated.v1"
    topic: ClassVar[str] = topics.SHIPMENTS

    order_id: Id
    shipment_id: Id
    warehouse_id: Id
    lines: tuple[ShipmentLine, ...] = Field(min_length=1)


class BackorderDeclared(Event):
    event_type: ClassVar[str] = "shop.fulfillment.BackorderDeclared.v1"
    topic: ClassVar[str] = topics.SHIPMENTS

    order_id: Id
    skus_short: tuple[Sku, ...] = Field(min_length=1)


class ShipmentDispatched(Event):
    event_type: ClassVar[str] = "shop.fulfillment.ShipmentDispatched.v1"
    topic: ClassVar[str] = topics.SHIPMENTS

    order_id: Id
    shipment_id: Id
    carrier: str | None = None
    tracking: str | None = None


class ShipmentDispatchedV2(Event):
    """v2 (docs/event-versioning.md): `tracking` is renamed `tracking_number`, and the
    dispatch time is part of the fact. v1 records still in the log reach consumers as v2
    through `shop_contracts.upcasting`."""

    event_type: ClassVar[str] = "shop.fulfillment.ShipmentDispatched.v2"
    topic: ClassVar[str] = topics.SHIPMENTS

    order_id: Id
    shipment_id: Id
    carrier: str | None = None
    tracking_number: str | None = None
    dispatched_at: AwareDatetime


# -- inventory.stock ---------------------------------------------------------------------


class ReservationCommitted(Event):
    event_type: ClassVar[str] = "shop.inventory.ReservationCommitted.v1"
    topic: ClassVar[str] = topics.STOCK

    order_id: Id
    reservation_id: Id


class ReservationReleased(Event):
    event_type: ClassVar[str] = "shop.inventory.ReservationReleased.v1"
    topic: ClassVar[str] = topics.STOCK

    order_id: Id
    reservation_id: Id
    reason: Reason


class StockReplenished(Event):
    event_type: ClassVar[str] = "shop.inventory.StockReplenished.v1"
    topic: ClassVar[str] = topics.STOCK

    sku: Sku
    quantity: int = Field(gt=0)
    available: int = Field(ge=0)

    @property
    def subject(self) -> str:
        # Not about an order: keyed by SKU so one SKU's replenishments stay in order.
        return self.sku


class ReturnRestocked(Event):
    """A return's units are on hand again (once per return)."""

    event_type: ClassVar[str] = "shop.inventory.ReturnRestocked.v1"
    topic: ClassVar[str] = topics.STOCK

    order_id: Id
    return_id: Id
    lines: tuple[ReturnLine, ...] = Field(min_length=1)


# -- payment.payments --------------------------------------------------------------------


class PaymentCaptured(Event):
    event_type: ClassVar[str] = "shop.payment.PaymentCaptured.v1"
    topic: ClassVar[str] = topics.PAYMENTS

    order_id: Id
    authorization_id: Id
    amount: Money


class PaymentVoided(Event):
    event_type: ClassVar[str] = "shop.payment.PaymentVoided.v1"
    topic: ClassVar[str] = topics.PAYMENTS

    order_id: Id
    authorization_id: Id
    amount: Money
    reason: Reason


class PaymentRefunded(Event):
    """Money given back for a return: at most what was captured, once per return."""

    event_type: ClassVar[str] = "shop.payment.PaymentRefunded.v1"
    topic: ClassVar[str] = topics.PAYMENTS

    order_id: Id
    authorization_id: Id
    refund_id: Id
    return_id: Id
    amount: Money


class PaymentCaptureFailed(Event):
    event_type: ClassVar[str] = "shop.payment.PaymentCaptureFailed.v1"
    topic: ClassVar[str] = topics.PAYMENTS

    order_id: Id
    authorization_id: Id
    amount: Money
    reason: Reason


# -- returns.returns -----------------------------------------------------------------------


class ReturnRequested(Event):
    event_type: ClassVar[str] = "shop.returns.ReturnRequested.v1"
    topic: ClassVar[str] = topics.RETURNS

    order_id: Id
    return_id: Id
    lines: tuple[ReturnLine, ...] = Field(min_length=1)


class ReturnReceived(Event):
    """The returned units are back in a warehouse: restock them, refund `refund`, tell the
    customer. `refund` is the returned lines' share of the order's total, decided by returns;
    payment never gives back more than it captured."""

    event_type: ClassVar[str] = "shop.returns.ReturnReceived.v1"
    topic: ClassVar[str] = topics.RETURNS

    order_id: Id
    return_id: Id
    customer_id: Id
    lines: tuple[ReturnLine, ...] = Field(min_length=1)
    refund: Money


# -- communications.notifications --------------------------------------------------------


class CustomerNotified(Event):
    event_type: ClassVar[str] = "shop.communications.CustomerNotified.v1"
    topic: ClassVar[str] = topics.NOTIFICATIONS

    order_id: Id
    notification_id: Id
    kind: str = Field(min_length=1, max_length=64)
    about_event_id: Id

"""The checkout's one business moment: price, reserve, authorize under one budget.

It decides, it does not persist: it returns a `Placed` order, or a `Refused` one with the
error and the `Undo` plan of what was done and must be undone. `compensate` carries out
such a plan, in reverse order of the steps, each call under its own small budget.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from shop_http import Budget, DependencyError, DependencyTimeout

from checkout.application.ports import Inventory, Items, Payment, Pricing
from checkout.domain.orders import (
    Address,
    CheckoutRejected,
    Order,
    OrderStatus,
    TimelineEntry,
)


@dataclass(frozen=True)
class PlaceOrder:
    order_id: str
    customer_id: str
    customer_email: str
    items: Items
    shipping_address: Address
    payment_token: str
    currency: str


@dataclass(frozen=True)
class Coordination:
    pricing: Pricing
    inventory: Inventory
    payment: Payment
    budget_seconds: float
    now: Callable[[], datetime]


@dataclass
class Undo:
    """What a failed checkout leaves held. A step whose outcome is unknown (the call timed
    out or failed) is undone too: the undo calls are idempotent and harmless if nothing
    was held."""

    release_reservation: bool = False
    reservation_id: str | None = None
    void_authorization: bool = False

    def __bool__(self) -> bool:
        return self.release_reservation or self.void_authorization


@dataclass(frozen=True)
class Placed:
    order: Order


@dataclass(frozen=True)
class Refused:
    order: Order
    error: CheckoutRejected | DependencyError
    undo: Undo = field(default_factory=Undo)


async def place_order(command: PlaceOrder, deps: Coordination) -> Placed | Refused:
    budget = Budget(deps.budget_seconds)
    order = Order(
        id=command.order_id,
        status=OrderStatus.CONFIRMED,
        customer_id=command.customer_id,
        customer_email=command.customer_email,
        currency=command.currency,
        shipping_address=command.shipping_address,
        created_at=deps.now(),
    )
    undo = Undo()
    try:
        # An open breaker refuses the checkout before anything is held anywhere.
        for dependency in (deps.pricing, deps.inventory, deps.payment):
            dependency.ensure_available()
        country = command.shipping_address.country
        cart = await deps.pricing.quote(command.items, command.currency, country, budget)
        order = _step(order, deps, "priced", "pricing", quote_id=cart.quote_id, total=cart.total)
        order = replace(order, cart=cart)

        undo.release_reservation = True
        reservation_id = await deps.inventory.reserve(order.id, command.items, budget)
        undo.reservation_id = reservation_id
        order = replace(order, reservation_id=reservation_id)
        order = _step(order, deps, "stock-reserved", "inventory", reservation_id=reservation_id)

        undo.void_authorization = True
        authorization_id = await deps.payment.authorize(
            order.id,
            command.customer_id,
            cart.total,
            command.currency,
            command.payment_token,
            budget,
        )
        order = replace(order, authorization_id=authorization_id)
        order = _step(
            order, deps, "payment-authorized", "payment", authorization_id=authorization_id
        )
    except CheckoutRejected as rejected:
        _definitely_not_held(undo, rejected)
        return Refused(_rejected(order, deps, rejected), rejected, undo)
    except DependencyError as failed:
        return Refused(_rejected(order, deps, failed), failed, undo)
    return Placed(_step(order, deps, "OrderConfirmed", "checkout"))


def _definitely_not_held(undo: Undo, rejected: CheckoutRejected) -> None:
    # A definitive "no" from a step means that step holds nothing; earlier steps do.
    if undo.void_authorization:
        undo.void_authorization = False
    elif undo.release_reservation and undo.reservation_id is None:
        undo.release_reservation = False


def _step(order: Order, deps: Coordination, type_: str, source: str, **detail: object) -> Order:
    entry = TimelineEntry(type_, source, deps.now(), dict(detail))
    return replace(order, timeline=(*order.timeline, entry))


def _rejected(order: Order, deps: Coordination, error: Exception) -> Order:
    reason = reason_of(error)
    order = replace(order, status=OrderStatus.REJECTED, reject_reason=reason, payment_status="NONE")
    return _step(order, deps, "OrderRejected", "checkout", reason=reason, detail=str(error))


def reason_of(error: Exception) -> str:
    if isinstance(error, CheckoutRejected):
        return error.slug
    if isinstance(error, DependencyError):
        kind = "timeout" if isinstance(error, DependencyTimeout) else "unavailable"
        return f"dependency-{kind}:{error.dependency}"
    return "internal-error"


async def compensate(
    order_id: str, undo: Undo, *, inventory: Inventory, payment: Payment, budget_seconds: float
) -> list[str]:
    """Undo in reverse order (void, then release); return what could not be undone."""
    failures: list[str] = []
    if undo.void_authorization:
        try:
            await payment.void(order_id, Budget(budget_seconds))
        except DependencyError as exc:
            failures.append(f"void-authorization: {exc}")
    if undo.release_reservation:
        try:
            await inventory.release(order_id, undo.reservation_id, Budget(budget_seconds))
        except DependencyError as exc:
            failures.append(f"release-reservation: {exc}")
    return failures

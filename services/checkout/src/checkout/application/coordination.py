"""The checkout's one business moment: price, reserve, authorize under one budget.

    result = await coordinate(request, coordination, now=now)   # Placed or Failed

It decides, it does not persist: it returns a `Placed` order, or a `Failed` one with the
error and the `Undo` plan of what was done and must be undone (application/compensation.py
carries such a plan out). A caller may pass its own `undo` plan: it is filled in before
each call goes out, so a checkout cancelled mid-call still knows what to undo.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace
from datetime import datetime

from shop_http import Budget, DependencyError, DependencyTimeout

from checkout.application.ports import Inventory, Payment, Pricing
from checkout.domain.orders import (
    CheckoutRejected,
    Order,
    OrderRequest,
    OrderStatus,
    PricedCart,
    TimelineEntry,
)


@dataclass(frozen=True)
class Coordination:
    pricing: Pricing
    inventory: Inventory
    payment: Payment
    budget_seconds: float


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
class Failed:
    order: Order
    error: CheckoutRejected | DependencyError
    undo: Undo = field(default_factory=Undo)


async def coordinate(
    request: OrderRequest, deps: Coordination, *, now: datetime, undo: Undo | None = None
) -> Placed | Failed:
    """Every timeline entry is stamped `now`, the time the checkout began."""
    budget = Budget(deps.budget_seconds)
    order = Order(
        id=request.order_id,
        status=OrderStatus.CONFIRMED,
        customer_id=request.customer_id,
        customer_email=request.customer_email,
        currency=request.currency,
        shipping_address=request.shipping_address,
        created_at=now,
    )
    undo = undo if undo is not None else Undo()
    try:
        # An open breaker refuses the checkout before anything is held anywhere.
        for dependency in (deps.pricing, deps.inventory, deps.payment):
            dependency.ensure_available()
        cart, reservation_id = await _quote_and_reserve(request, deps, budget, undo)
        order = _step(order, now, "priced", "pricing", quote_id=cart.quote_id, total=cart.total)
        order = replace(order, cart=cart, reservation_id=reservation_id)
        order = _step(order, now, "stock-reserved", "inventory", reservation_id=reservation_id)

        undo.void_authorization = True
        authorization_id = await deps.payment.authorize(
            order.id,
            request.customer_id,
            cart.total,
            request.currency,
            request.payment_token,
            budget,
        )
        order = replace(order, authorization_id=authorization_id)
        order = _step(
            order, now, "payment-authorized", "payment", authorization_id=authorization_id
        )
    except CheckoutRejected as rejected:
        # A definitive "no" from payment means it holds nothing (quote and reserve's
        # holds were settled by _quote_and_reserve).
        undo.void_authorization = False
        return Failed(_rejected(order, now, rejected), rejected, undo)
    except DependencyError as failed:
        return Failed(_rejected(order, now, failed), failed, undo)
    return Placed(_step(order, now, "OrderConfirmed", "checkout"))


async def _quote_and_reserve(
    request: OrderRequest, deps: Coordination, budget: Budget, undo: Undo
) -> tuple[PricedCart, str]:
    """Quote and reserve at once (neither needs the other's answer), so the critical path
    is the slower of the two, not their sum. Both are awaited to the end, so `undo` knows
    whether stock is held before an error of either is raised (pricing's first)."""
    undo.release_reservation = True
    quoted, reserved = await asyncio.gather(
        deps.pricing.quote(
            request.items, request.currency, request.shipping_address.country, budget
        ),
        deps.inventory.reserve(request.order_id, request.items, budget),
        return_exceptions=True,
    )
    if isinstance(reserved, str):
        undo.reservation_id = reserved
    elif isinstance(reserved, CheckoutRejected):
        undo.release_reservation = False  # a definitive "no": nothing held
    for outcome in (quoted, reserved):
        if isinstance(outcome, BaseException):
            raise outcome
    assert isinstance(quoted, PricedCart)
    assert isinstance(reserved, str)
    return quoted, reserved


def _step(order: Order, now: datetime, type_: str, source: str, **detail: object) -> Order:
    entry = TimelineEntry(type_, source, now, dict(detail))
    return replace(order, timeline=(*order.timeline, entry))


def _rejected(order: Order, now: datetime, error: Exception) -> Order:
    reason = reason_of(error)
    order = replace(order, status=OrderStatus.REJECTED, reject_reason=reason, payment_status="NONE")
    return _step(order, now, "OrderRejected", "checkout", reason=reason, detail=str(error))


def reason_of(error: Exception) -> str:
    if isinstance(error, CheckoutRejected):
        return error.slug
    if isinstance(error, DependencyError):
        kind = "timeout" if isinstance(error, DependencyTimeout) else "unavailable"
        return f"dependency-{kind}:{error.dependency}"
    return "internal-error"

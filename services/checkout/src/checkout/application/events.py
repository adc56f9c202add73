"""The events checkout publishes, built from its domain objects (never in adapters).

    await outbox.add(session, order_confirmed(order))

Checkout announces two moments of an order's life: it was confirmed (everything held), and
it was cancelled (the holders compensate on their own clocks).
"""

from __future__ import annotations

from dataclasses import asdict

from shop_contracts import Address, Money, OrderCancelled, OrderConfirmed, OrderLine

from checkout.domain.orders import Order


def order_confirmed(order: Order) -> OrderConfirmed:
    if order.cart is None or order.reservation_id is None or order.authorization_id is None:
        raise ValueError(f"order {order.id} is not confirmed: it lacks a cart, hold or payment")
    return OrderConfirmed(
        order_id=order.id,
        customer_id=order.customer_id,
        customer_email=order.customer_email,
        lines=tuple(
            OrderLine(
                sku=line.sku,
                quantity=line.quantity,
                unit_price=Money(amount=line.unit_price, currency=order.currency),
            )
            for line in order.cart.lines
        ),
        total=Money(amount=order.total, currency=order.currency),
        reservation_id=order.reservation_id,
        authorization_id=order.authorization_id,
        shipping_address=Address(**asdict(order.shipping_address)),
        confirmed_at=order.created_at,
    )


def order_cancelled(order: Order, reason: str) -> OrderCancelled:
    return OrderCancelled(
        order_id=order.id,
        reason=reason,
        reservation_id=order.reservation_id,
        authorization_id=order.authorization_id,
    )

"""The events checkout publishes, built from its domain objects (never in adapters).

    for event in order_confirmed(order):
        await outbox.add(session, event)

Checkout announces two moments of an order's life: it was confirmed (everything held), and
it was cancelled (the holders compensate on their own clocks). A confirmation is two
events: the customer's email for the one service that mails them, on a topic of its own
(ADR 0010), then the order for every consumer. The address stays here. The contact is
written first so that it is usually read first: communications cannot mail the
confirmation without it and retries until it has it.
"""

from __future__ import annotations

from shop_contracts import Money, OrderCancelled, OrderConfirmedV2, OrderContactShared, OrderLine

from checkout.domain.orders import Order


def order_confirmed(order: Order) -> tuple[OrderContactShared, OrderConfirmedV2]:
    if order.cart is None or order.reservation_id is None or order.authorization_id is None:
        raise ValueError(f"order {order.id} is not confirmed: it lacks a cart, hold or payment")
    confirmed = OrderConfirmedV2(
        order_id=order.id,
        customer_id=order.customer_id,
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
        confirmed_at=order.created_at,
    )
    contact = OrderContactShared(
        order_id=order.id, customer_id=order.customer_id, customer_email=order.customer_email
    )
    return contact, confirmed


def order_cancelled(order: Order, reason: str) -> OrderCancelled:
    return OrderCancelled(
        order_id=order.id,
        reason=reason,
        reservation_id=order.reservation_id,
        authorization_id=order.authorization_id,
    )

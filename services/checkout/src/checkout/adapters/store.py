"""The `Store` port over Checkout's own PostgreSQL: one transaction per method."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime, timedelta

from shop_contracts import Address as EventAddress
from shop_contracts import Money, OrderConfirmed
from shop_contracts import OrderLine as EventLine
from shop_messaging import Outbox
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from checkout.adapters import idempotency
from checkout.adapters.orders import add_order, add_timeline_entry, set_compensation
from checkout.application.ports import Claim, StoredResponse
from checkout.domain.orders import Order, TimelineEntry


class SqlStore:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        outbox: Outbox,
        lock: timedelta,
        now: Callable[[], datetime],
    ) -> None:
        self._sessions = sessions
        self._outbox = outbox
        self._lock = lock
        self._now = now

    async def claim(self, key: str, fingerprint: str) -> Claim:
        async with self._sessions.begin() as session:
            return await idempotency.claim(
                session, key, fingerprint, now=self._now(), lock=self._lock
            )

    async def confirm(self, order: Order, key: str, response: StoredResponse) -> None:
        async with self._sessions.begin() as session:
            await add_order(session, order, compensation_status="NONE")
            await self._outbox.add(session, order_confirmed(order))
            await idempotency.complete(session, key, order.id, response)

    async def reject(
        self, order: Order, key: str, response: StoredResponse | None, *, compensating: bool
    ) -> None:
        async with self._sessions.begin() as session:
            await add_order(
                session, order, compensation_status="PENDING" if compensating else "NONE"
            )
            if response is None:
                await idempotency.release(session, key)
            else:
                await idempotency.complete(session, key, order.id, response)

    async def release(self, key: str) -> None:
        async with self._sessions.begin() as session:
            await idempotency.release(session, key)

    async def record_compensation(self, order_id: str, failures: list[str]) -> None:
        now = self._now()
        entry = (
            TimelineEntry("CompensationFailed", "checkout", now, {"failures": failures})
            if failures
            else TimelineEntry("Compensated", "checkout", now, {})
        )
        async with self._sessions.begin() as session:
            await set_compensation(
                session, order_id, "FAILED" if failures else "DONE", failures, now
            )
            await add_timeline_entry(session, order_id, entry)


def order_confirmed(order: Order) -> OrderConfirmed:
    if order.cart is None or order.reservation_id is None or order.authorization_id is None:
        raise ValueError(f"order {order.id} is not confirmed: it lacks a cart, hold or payment")
    return OrderConfirmed(
        order_id=order.id,
        customer_id=order.customer_id,
        customer_email=order.customer_email,
        lines=tuple(
            EventLine(
                sku=line.sku,
                quantity=line.quantity,
                unit_price=Money(amount=line.unit_price, currency=order.currency),
            )
            for line in order.cart.lines
        ),
        total=Money(amount=order.total, currency=order.currency),
        reservation_id=order.reservation_id,
        authorization_id=order.authorization_id,
        shipping_address=EventAddress(**asdict(order.shipping_address)),
        confirmed_at=order.created_at,
    )

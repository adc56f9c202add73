"""Undo what a failed checkout holds, and note on the order whether that worked.

    failures = await compensate("ord_1", undo, inventory=inventory, payment=payment,
                                budget_seconds=3.0)
    await record_compensation(sessions, "ord_1", failures, now=now)

Undo calls run in reverse order of the steps (void, then release), each under its own
budget: the checkout's is spent by the time they run. A failure is written on the order
(compensation FAILED) for reconciliation to repair.
"""

from __future__ import annotations

from datetime import datetime

from shop_http import Budget, DependencyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from checkout.adapters import orders
from checkout.application.coordination import Undo
from checkout.application.ports import Inventory, Payment
from checkout.domain.orders import TimelineEntry


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


async def record_compensation(
    sessions: async_sessionmaker[AsyncSession], order_id: str, failures: list[str], *, now: datetime
) -> None:
    """Compensation DONE, or FAILED with what is still held, and a timeline entry saying so."""
    entry = (
        TimelineEntry("CompensationFailed", "checkout", now, {"failures": failures})
        if failures
        else TimelineEntry("Compensated", "checkout", now, {})
    )
    async with sessions.begin() as session:
        status = "FAILED" if failures else "DONE"
        await orders.set_compensation(session, order_id, status, failures, now)
        await orders.add_timeline_entry(session, order_id, entry)

"""Undo what a failed checkout holds, and note on the order whether that worked.

    failures = await compensate("ord_1", undo, inventory=inventory, payment=payment,
                                budget_seconds=3.0)
    await record_compensation(sessions, "ord_1", failures, now=now)

Undo calls run in reverse order of the steps (void, then release), each under its own
budget: the checkout's is spent by the time they run. A failure is written on the order
(compensation FAILED) for reconciliation to repair; an order that was never stored has
nothing to write on, and reconciliation finds what it left held as orphans.
"""

from __future__ import annotations

import logging
from collections.abc import Coroutine
from datetime import datetime
from typing import Any

from shop_http import Budget, DependencyError
from shop_servicekit import Clock
from shop_telemetry import log_context
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from checkout.adapters import orders
from checkout.application.coordination import Undo
from checkout.application.ports import Inventory, Payment
from checkout.domain.orders import TimelineEntry

log = logging.getLogger(__name__)


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
    """Compensation DONE, or FAILED with what is still held, and a timeline entry saying so;
    nothing if the order was never stored."""
    entry = (
        TimelineEntry("CompensationFailed", "checkout", now, {"failures": failures})
        if failures
        else TimelineEntry("Compensated", "checkout", now, {})
    )
    async with sessions.begin() as session:
        status = "FAILED" if failures else "DONE"
        if await orders.set_compensation(session, order_id, status, failures, now):
            await orders.add_timeline_entry(session, order_id, entry)


def undo_job(
    order_id: str,
    undo: Undo,
    *,
    sessions: async_sessionmaker[AsyncSession],
    inventory: Inventory,
    payment: Payment,
    budget_seconds: float,
    clock: Clock,
) -> Coroutine[Any, Any, None]:
    """Undo `undo` and write the result on the order (its own transaction, timed when the
    undo calls ended)."""

    async def run() -> None:
        with log_context(order_id=order_id):
            failures = await compensate(
                order_id, undo, inventory=inventory, payment=payment, budget_seconds=budget_seconds
            )
            if failures:
                log.error("order %s left held after compensation: %s", order_id, failures)
            await record_compensation(sessions, order_id, failures, now=clock())

    return run()

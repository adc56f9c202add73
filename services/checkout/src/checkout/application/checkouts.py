"""Place an order: the POST /v1/checkouts use case, top to bottom.

    answer = await place_order(PlaceOrder(key, fingerprint, request), deps=deps, clock=utc_now)

1. Claim the Idempotency-Key (application/keys.py): a replay, a key still in progress or
   a key reused with another body is answered there, before any call goes out.
2. Coordinate pricing, inventory and payment under one budget (application/coordination.py).
3. Save in ONE transaction: the order, its lines and timeline, OrderConfirmed in the outbox
   (application/events.py) and the key completed with the outcome; a REJECTED order is
   saved with its reason, the key kept for a definitive refusal, released for a transient one.
4. Undo what a failed checkout holds (application/compensation.py): before answering a
   definitive refusal, so a client that sees it finds nothing held; in the background
   after a timeout, so a spent budget is not stretched by undo calls.

It returns an outcome (application/outcomes.py) and knows nothing of HTTP:
entrypoints/api/answers.py renders outcomes, fresh and replayed alike.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from shop_messaging import Outbox
from shop_servicekit import Clock
from shop_telemetry import log_context
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from checkout.adapters import idempotency, orders
from checkout.application.compensation import compensate, record_compensation
from checkout.application.coordination import Coordination, Failed, Placed, Undo, coordinate
from checkout.application.events import order_confirmed
from checkout.application.keys import claim_key, release_key
from checkout.application.outcomes import (
    Answer,
    Confirmed,
    NotStored,
    Outcome,
    Receipt,
    Refused,
    TimedOut,
    failure_of,
    record_of,
)
from checkout.domain.orders import Order, OrderRequest

log = logging.getLogger(__name__)

Spawn = Callable[[Coroutine[Any, Any, None]], None]


@dataclass(frozen=True)
class PlaceOrder:
    key: str
    # The request body's hash: the same key with another body is refused.
    fingerprint: str
    request: OrderRequest


@dataclass(frozen=True)
class CheckoutDeps:
    sessions: async_sessionmaker[AsyncSession]
    outbox: Outbox
    coordination: Coordination
    # An IN_PROGRESS key older than this belongs to a crashed process and may be taken over.
    key_lock: timedelta
    compensation_budget_seconds: float
    # Runs a compensation after the answer (application/background.py).
    spawn: Spawn


async def place_order(command: PlaceOrder, *, deps: CheckoutDeps, clock: Clock) -> Answer:
    now = clock()
    answered = await claim_key(
        deps.sessions, command.key, command.fingerprint, now=now, lock=deps.key_lock
    )
    if answered is not None:
        return answered
    with log_context(order_id=command.request.order_id):
        try:
            result = await coordinate(command.request, deps.coordination, now=now)
        except BaseException:
            # A bug or a cancelled request: nothing stored, so let the client retry the key.
            await _quietly(release_key(deps.sessions, command.key))
            raise
        if isinstance(result, Placed):
            return await _confirm(result.order, command.key, deps, clock)
        return await _reject(result, command.key, deps, clock)


async def _confirm(order: Order, key: str, deps: CheckoutDeps, clock: Clock) -> Outcome:
    confirmed = Confirmed(Receipt.of(order))
    try:
        async with deps.sessions.begin() as session:
            await orders.add_order(session, order, compensation_status="NONE")
            await deps.outbox.add(session, order_confirmed(order))
            await idempotency.complete_key(session, key, order.id, record_of(confirmed))
    except Exception:
        log.exception("confirmed order %s could not be stored; undoing", order.id)
        # Nothing stored, so nothing to record the compensation on.
        undo = Undo(True, order.reservation_id, True)
        deps.spawn(_compensation(order.id, undo, deps, clock, record=False))
        await _quietly(release_key(deps.sessions, key))
        return NotStored(order.id)
    log.info("order %s confirmed", order.id)
    return confirmed


async def _reject(failed: Failed, key: str, deps: CheckoutDeps, clock: Clock) -> Outcome:
    order = failed.order
    outcome = failure_of(order.id, failed.error)
    compensation = "PENDING" if failed.undo else "NONE"
    async with deps.sessions.begin() as session:
        await orders.add_order(session, order, compensation_status=compensation)
        if isinstance(outcome, Refused):
            await idempotency.complete_key(session, key, order.id, record_of(outcome))
        else:
            # Transient: the key is released so a retry with it runs the checkout again.
            await idempotency.delete_key(session, key)
    log.info("order %s rejected: %s", order.id, order.reject_reason)
    if failed.undo:
        job = _compensation(order.id, failed.undo, deps, clock, record=True)
        if isinstance(outcome, TimedOut):
            # The customer is already past the budget: answer now, finish undoing after.
            deps.spawn(job)
        else:
            # Undo before answering, so a client that sees the error finds nothing held.
            await job
    return outcome


def _compensation(
    order_id: str, undo: Undo, deps: CheckoutDeps, clock: Clock, *, record: bool
) -> Coroutine[Any, Any, None]:
    """Undo `undo`; if `record`, write the result on the stored order (its own transaction,
    timed when the undo calls ended)."""

    async def run() -> None:
        with log_context(order_id=order_id):
            failures = await compensate(
                order_id,
                undo,
                inventory=deps.coordination.inventory,
                payment=deps.coordination.payment,
                budget_seconds=deps.compensation_budget_seconds,
            )
            if failures:
                log.error("order %s left held after compensation: %s", order_id, failures)
            if record:
                await record_compensation(deps.sessions, order_id, failures, now=clock())

    return run()


async def _quietly(step: Awaitable[None]) -> None:
    try:
        await step
    except Exception:
        log.warning("could not release an idempotency key", exc_info=True)

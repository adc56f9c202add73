"""Place an order: the POST /v1/checkouts use case, top to bottom.

    answer = await place_order(PlaceOrder(key, fingerprint, request), deps=deps, clock=utc_now)

1. Claim the Idempotency-Key (application/keys.py): a replay, a key still in progress or
   a key reused with another body is answered there, before any call goes out. The claim
   fixes the order id (a takeover of a lapsed claim continues the same order) and carries
   a fencing token: only the claim's owner may complete or release the key.
2. Coordinate pricing, inventory and payment under one budget (application/coordination.py).
3. Save in ONE transaction: the key completed with the outcome (fenced: a request whose
   claim was taken over stores nothing), the order, its lines and timeline, and
   OrderConfirmed and OrderContactShared in the outbox (application/events.py); a REJECTED
   order is saved with its reason, the key kept for a definitive refusal, released for a
   transient one (kept RETRYABLE: the retry's order supersedes this one, one order per key,
   ADR 0011). Once a CONFIRMED order is stored, its hold is confirmed at inventory after the
   answer (application/holds.py), so it cannot expire under the order.
4. Undo what a failed checkout holds (application/compensation.py): before answering a
   definitive refusal, so a client that sees it finds nothing held; in the background
   after a timeout, so a spent budget is not stretched by undo calls.

Every other way out undoes too, but only once the claim says it is ours to undo
(`settle_claim`): a save that failed (or whose commit raised but landed: then the order is
CONFIRMED and nothing is undone), a claim taken over (its new owner decides), and a
cancelled request or a bug (the undo runs in a task of its own, out of the cancellation's
reach). A failure whose outcome cannot be read leaves the claim to lapse: the next retry
continues the same order, and reconciliation releases what nobody confirms.

It returns an outcome (application/outcomes.py) and knows nothing of HTTP:
entrypoints/api/answers.py renders outcomes, fresh and replayed alike.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from shop_messaging import Outbox
from shop_servicekit import Clock
from shop_telemetry import log_context
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from checkout.adapters import idempotency, orders
from checkout.application.compensation import undo_job
from checkout.application.coordination import Coordination, Failed, Placed, Undo, coordinate
from checkout.application.events import order_confirmed
from checkout.application.holds import keep_hold
from checkout.application.keys import claim_key, settle_claim
from checkout.application.outcomes import (
    Answer,
    Confirmed,
    InProgress,
    NotStored,
    Receipt,
    Refused,
    TimedOut,
    failure_of,
    record_of,
)
from checkout.domain.idempotency import Claim, ClaimState
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
    claimed = await claim_key(
        deps.sessions,
        command.key,
        command.fingerprint,
        order_id=command.request.order_id,
        now=now,
        lock=deps.key_lock,
    )
    if not isinstance(claimed, Claim):
        return claimed
    request = replace(command.request, order_id=claimed.order_id)
    with log_context(order_id=request.order_id):
        undo = Undo()
        try:
            result = await coordinate(request, deps.coordination, now=now, undo=undo)
            if isinstance(result, Placed):
                return await _confirm(result.order, claimed, deps, clock)
            return await _reject(result, claimed, deps, clock)
        except BaseException:
            # Cancelled (the client went away) or a bug. Every await here would be cancelled
            # again, so the settling and undoing run in a task of their own.
            log.warning("checkout of order %s abandoned; undoing", request.order_id)
            deps.spawn(_settle_and_undo(claimed, undo, deps, clock))
            raise


async def _confirm(order: Order, claim: Claim, deps: CheckoutDeps, clock: Clock) -> Answer:
    confirmed = Confirmed(Receipt.of(order))
    try:
        async with deps.sessions.begin() as session:
            # The fence first: its row lock also queues a takeover behind this commit.
            ours = await idempotency.complete_key(session, claim, record_of(confirmed))
            if ours:
                await orders.add_order(session, order, compensation_status="NONE")
                await _supersede(session, claim)
                for event in order_confirmed(order):
                    await deps.outbox.add(session, event)
    except Exception:
        log.exception("confirmed order %s may not be stored; checking", order.id)
        ours = False
    if ours:
        log.info("order %s confirmed", order.id)
        deps.spawn(
            keep_hold(
                order.id,
                inventory=deps.coordination.inventory,
                budget_seconds=deps.compensation_budget_seconds,
            )
        )
        return confirmed
    undo = Undo(True, order.reservation_id, True)
    match await _settle(claim, undo, deps, clock):
        case ClaimState.CONFIRMED:
            # The commit landed after all, or a takeover confirmed this same order.
            return confirmed
        case ClaimState.TAKEN:
            return InProgress()
        case _:
            return NotStored(order.id)


async def _reject(failed: Failed, claim: Claim, deps: CheckoutDeps, clock: Clock) -> Answer:
    order = failed.order
    outcome = failure_of(order.id, failed.error)
    compensation = "PENDING" if failed.undo else "NONE"
    try:
        async with deps.sessions.begin() as session:
            if isinstance(outcome, Refused):
                ours = await idempotency.complete_key(session, claim, record_of(outcome))
            else:
                # Transient: the key is released so a retry with it runs the checkout again,
                # and the order that retry stores supersedes this one (ADR 0011).
                ours = await idempotency.release_for_retry(session, claim, order_id=order.id)
            if ours:
                await orders.add_order(session, order, compensation_status=compensation)
                await _supersede(session, claim)
    except Exception:
        log.exception("rejected order %s could not be stored; undoing", order.id)
        ours = False
    if not ours:
        match await _settle(claim, failed.undo, deps, clock):
            case ClaimState.CONFIRMED | ClaimState.TAKEN:
                return InProgress()
            case _:
                return NotStored(order.id)
    log.info("order %s rejected: %s", order.id, order.reject_reason)
    if failed.undo:
        job = _undo(order.id, failed.undo, deps, clock)
        if isinstance(outcome, TimedOut):
            # The customer is already past the budget: answer now, finish undoing after.
            deps.spawn(job)
        else:
            # Undo before answering, so a client that sees the error finds nothing held;
            # shielded, so a client that goes away meanwhile does not stop it halfway.
            await asyncio.shield(job)
    return outcome


async def _supersede(session: AsyncSession, claim: Claim) -> None:
    if claim.supersedes is not None:
        await orders.supersede(session, claim.supersedes, by=claim.order_id)


async def _settle(claim: Claim, undo: Undo, deps: CheckoutDeps, clock: Clock) -> ClaimState | None:
    """Settle a claim whose outcome was not stored; undo (after the answer) if it is ours to
    undo. None when the database cannot say: nothing is undone, the claim lapses."""
    try:
        state = await settle_claim(deps.sessions, claim)
    except Exception:
        log.exception("order %s: claim unreadable; left to its next owner", claim.order_id)
        return None
    if state in (ClaimState.OURS, ClaimState.SETTLED) and undo:
        deps.spawn(_undo(claim.order_id, undo, deps, clock))
    log.info("order %s not stored; its claim was %s", claim.order_id, state.value)
    return state


async def _settle_and_undo(claim: Claim, undo: Undo, deps: CheckoutDeps, clock: Clock) -> None:
    # Runs as its own task: `undo` is final by now (the checkout stopped changing it).
    state = await _settle(claim, Undo(), deps, clock)
    if state in (ClaimState.OURS, ClaimState.SETTLED) and undo:
        await _undo(claim.order_id, undo, deps, clock)


def _undo(order_id: str, undo: Undo, deps: CheckoutDeps, clock: Clock) -> Coroutine[Any, Any, None]:
    return undo_job(
        order_id,
        undo,
        sessions=deps.sessions,
        inventory=deps.coordination.inventory,
        payment=deps.coordination.payment,
        budget_seconds=deps.compensation_budget_seconds,
        clock=clock,
    )

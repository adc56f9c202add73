"""The checkout command end to end: idempotency key, coordination, one-transaction save.

    response = await checkout(request, deps)      # a StoredResponse, or an Idempotency* answer

Replays, in-flight keys and reused keys are answered from the store without any call.
Compensation runs after the answer is decided, in the background, so a spent budget is not
stretched by undo calls; its result is written on the order for reconciliation.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from shop_telemetry import log_context

from checkout.application.coordination import (
    Coordination,
    Placed,
    PlaceOrder,
    Refused,
    Undo,
    compensate,
    place_order,
)
from checkout.application.ports import Claim, Claimed, Store, StoredResponse
from checkout.domain.orders import Order

log = logging.getLogger(__name__)

Spawn = Callable[[Coroutine[Any, Any, None]], None]


@dataclass(frozen=True)
class CheckoutRequest:
    key: str
    fingerprint: str
    command: PlaceOrder


@dataclass(frozen=True)
class Renderer:
    """How outcomes become HTTP answers (the entrypoint's business, passed in)."""

    placed: Callable[[Order], StoredResponse]
    refused: Callable[[Refused], StoredResponse]
    unsaved: Callable[[Order], StoredResponse]


@dataclass(frozen=True)
class CheckoutDeps:
    coordination: Coordination
    store: Store
    render: Renderer
    spawn: Spawn
    compensation_budget_seconds: float


class StoreFailed(Exception):
    """The database could not save the outcome (already compensated, key released)."""

    def __init__(self, response: StoredResponse) -> None:
        super().__init__("checkout outcome could not be stored")
        self.response = response


async def checkout(request: CheckoutRequest, deps: CheckoutDeps) -> StoredResponse | Claim:
    claim = await deps.store.claim(request.key, request.fingerprint)
    if not isinstance(claim, Claimed):
        return claim
    with log_context(order_id=request.command.order_id):
        try:
            outcome = await place_order(request.command, deps.coordination)
        except BaseException:
            # A bug or a cancelled request: nothing stored, so let the client retry the key.
            await _quietly(deps.store.release(request.key))
            raise
        if isinstance(outcome, Placed):
            return await _save_placed(outcome, request, deps)
        return await _save_refused(outcome, request, deps)


async def _save_placed(
    outcome: Placed, request: CheckoutRequest, deps: CheckoutDeps
) -> StoredResponse:
    response = deps.render.placed(outcome.order)
    try:
        await deps.store.confirm(outcome.order, request.key, response)
    except Exception as exc:
        log.exception("confirmed order %s could not be stored; undoing", outcome.order.id)
        _undo(outcome.order.id, Undo(True, outcome.order.reservation_id, True), deps, record=False)
        await _quietly(deps.store.release(request.key))
        raise StoreFailed(deps.render.unsaved(outcome.order)) from exc
    log.info("order %s confirmed", outcome.order.id)
    return response


async def _save_refused(
    outcome: Refused, request: CheckoutRequest, deps: CheckoutDeps
) -> StoredResponse:
    response = deps.render.refused(outcome)
    # 503 and 504 are transient: the key is released so a retry with it runs again.
    kept = response if response.status < 500 else None
    await deps.store.reject(outcome.order, request.key, kept, compensating=bool(outcome.undo))
    log.info("order %s rejected: %s", outcome.order.id, outcome.order.reject_reason)
    if outcome.undo:
        job = _undo_job(outcome.order.id, outcome.undo, deps, record=True)
        if response.status == 504:
            # The customer is already past the budget: answer now, finish undoing after.
            deps.spawn(job)
        else:
            # Undo before answering, so a client that sees the error finds nothing held.
            await job
    return response


def _undo(order_id: str, undo: Undo, deps: CheckoutDeps, *, record: bool) -> None:
    deps.spawn(_undo_job(order_id, undo, deps, record=record))


def _undo_job(
    order_id: str, undo: Undo, deps: CheckoutDeps, *, record: bool
) -> Coroutine[Any, Any, None]:
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
                await deps.store.record_compensation(order_id, failures)

    return run()


async def _quietly(step: Awaitable[None]) -> None:
    try:
        await step
    except Exception:
        log.warning("could not release an idempotency key", exc_info=True)


class BackgroundTasks:
    """Runs compensations that finish after the answer; `drain` waits for them at shutdown.

    tasks = BackgroundTasks()
    tasks.spawn(coro)
    await tasks.drain(timeout=5)
    """

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coro)
        self._tasks.add(task)  # a strong reference: the loop keeps only weak ones
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background compensation failed", exc_info=task.exception())

    async def drain(self, timeout: float) -> None:  # noqa: ASYNC109
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)

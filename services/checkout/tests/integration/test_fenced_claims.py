"""Fenced idempotency claims and compensation on every way out, against a real database.

A stalled request is a fake payment that waits on an event, so each race is played step by
step (no sleeps): the first attempt is held mid-call while a retry takes its lapsed claim
over, then let go.
"""

import asyncio
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from checkout.application.outcomes import Confirmed, InProgress, NotStored, Refused
from checkout.domain.orders import PaymentDeclined
from shop_http import Budget
from shop_servicekit import Database
from sqlalchemy import event
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlalchemy.orm import Session

from ..fakes import FakePayment, Journal, World
from .placing import NOW, Checkout, command

# Past the 30 s claim lock: a retry now may take the first attempt's claim over.
LAPSED = NOW + timedelta(seconds=31)


class Gate:
    def __init__(self) -> None:
        self.reached, self.opened = asyncio.Event(), asyncio.Event()


class StallingPayment(FakePayment):
    """Authorizes like the fake, but each call waits at the next gate until the test opens it
    (calls past the last gate go straight through)."""

    def __init__(self, journal: Journal) -> None:
        super().__init__(journal)
        self.gates = [Gate(), Gate()]
        self.calls = 0

    async def authorize(
        self, order_id: str, customer_id: str, amount: int, currency: str, token: str, b: Budget
    ) -> str:
        if self.calls < len(self.gates):
            gate = self.gates[self.calls]
            self.calls += 1
            gate.reached.set()
            await gate.opened.wait()
        return await super().authorize(order_id, customer_id, amount, currency, token, b)


@pytest.fixture
def payment(checkout: Checkout, world: World) -> StallingPayment:
    stalling = StallingPayment(world.journal)
    coordination = replace(checkout.deps.coordination, payment=stalling)
    checkout.deps = replace(checkout.deps, coordination=coordination)
    return stalling


async def stalled_first_attempt(checkout: Checkout, payment: StallingPayment) -> asyncio.Task[Any]:
    first = asyncio.create_task(checkout(command(order_id="ord_1")))
    await payment.gates[0].reached.wait()
    # Only the first attempt stalls unless a test says otherwise.
    payment.gates[1].opened.set()
    return first


async def test_a_takeover_continues_the_same_order_and_the_stalled_first_stores_nothing(
    checkout: Checkout, world: World, payment: StallingPayment
) -> None:
    first = await stalled_first_attempt(checkout, payment)
    # The retry brings a fresh order id; the claim's order id wins.
    retry = await checkout(command(order_id="ord_2"), at=LAPSED)
    assert isinstance(retry, Confirmed)
    assert retry.receipt.order_id == "ord_1"

    payment.gates[0].opened.set()
    late = await first
    # Its fence is gone: it stores nothing, and answers with the order that was confirmed.
    assert isinstance(late, Confirmed)
    assert late.receipt.order_id == "ord_1"
    await checkout.run_spawned()
    assert await checkout.scalar("SELECT count(*) FROM orders") == 1
    # One confirmation: its OrderConfirmed and its OrderContactShared.
    assert await checkout.scalar("SELECT count(*) FROM outbox") == 2
    # Both attempts shared one hold and one authorization, and the confirmed order keeps them.
    assert "void" not in world.journal.calls
    assert not any(call.startswith("release") for call in world.journal.calls)


async def test_a_stalled_first_attempt_leaves_a_running_takeover_alone(
    checkout: Checkout, world: World, payment: StallingPayment
) -> None:
    first = await stalled_first_attempt(checkout, payment)
    # The takeover claims the key and is itself held before it authorizes.
    payment.gates[1] = Gate()
    taken = asyncio.create_task(checkout(command(order_id="ord_2"), at=LAPSED))
    await payment.gates[1].reached.wait()

    payment.gates[0].opened.set()
    assert await first == InProgress()
    assert await checkout.scalar("SELECT count(*) FROM orders") == 0
    payment.gates[1].opened.set()
    assert isinstance(await taken, Confirmed)
    await checkout.run_spawned()
    assert await checkout.scalar("SELECT status FROM orders WHERE id = 'ord_1'") == "CONFIRMED"
    assert "void" not in world.journal.calls


async def test_a_stalled_first_attempt_undoes_once_the_takeover_was_refused(
    checkout: Checkout, world: World, payment: StallingPayment
) -> None:
    first = await stalled_first_attempt(checkout, payment)
    payment.error = PaymentDeclined()
    assert isinstance(await checkout(command(order_id="ord_2"), at=LAPSED), Refused)
    calls_after_refusal = len(world.journal.calls)

    payment.error = None  # the first attempt's own authorization comes back
    payment.gates[0].opened.set()
    # Not stored; a retry with the key replays the refusal.
    assert await first == NotStored("ord_1")
    await checkout.run_spawned()
    # One REJECTED order, kept for the key; the first attempt undid what it had asked for.
    assert await checkout.scalar("SELECT status FROM orders") == "REJECTED"
    assert await checkout.scalar("SELECT status FROM idempotency_keys") == "COMPLETED"
    assert world.journal.calls[calls_after_refusal:] == ["authorize", "void", "release:res_1"]


async def test_a_cancelled_checkout_undoes_what_it_holds_and_releases_its_key(
    checkout: Checkout, world: World, payment: StallingPayment
) -> None:
    first = await stalled_first_attempt(checkout, payment)
    first.cancel()  # the client went away mid-authorization
    with pytest.raises(asyncio.CancelledError):
        await first
    await checkout.run_spawned()
    assert world.journal.calls[-2:] == ["void", "release:res_1"]
    assert await checkout.scalar("SELECT count(*) FROM idempotency_keys") == 0
    assert await checkout.scalar("SELECT count(*) FROM orders") == 0


async def test_a_refusal_that_cannot_be_stored_is_undone_and_its_key_released(
    checkout: Checkout, world: World
) -> None:
    world.payment.error = PaymentDeclined()
    answer = await checkout(command(customer_id="cus_" + "x" * 80))
    assert answer == NotStored("ord_1")
    await checkout.run_spawned()
    assert world.journal.calls[-1] == "release:res_1"
    assert await checkout.scalar("SELECT count(*) FROM idempotency_keys") == 0


class LandsThenRaises(Session):
    """A commit that reaches the database and then reports an error (a lost connection)."""

    armed = False


@event.listens_for(LandsThenRaises, "after_commit")
def _lost_after_commit(session: Session) -> None:
    if LandsThenRaises.armed:
        LandsThenRaises.armed = False
        raise ConnectionResetError("connection lost after COMMIT was sent")


async def test_a_commit_that_raised_but_landed_is_confirmed_and_never_undone(
    checkout: Checkout, database: Database, world: World
) -> None:
    sessions = async_sessionmaker(
        database.engine, expire_on_commit=False, sync_session_class=LandsThenRaises
    )
    checkout.deps = replace(checkout.deps, sessions=sessions)

    class ArmsBeforeConfirm(FakePayment):
        async def authorize(self, *args: Any) -> str:
            LandsThenRaises.armed = True  # the next commit is the confirmation's
            return await super().authorize(*args)

    coordination = replace(checkout.deps.coordination, payment=ArmsBeforeConfirm(world.journal))
    checkout.deps = replace(checkout.deps, coordination=coordination)

    answer = await checkout(command())
    await checkout.run_spawned()
    assert isinstance(answer, Confirmed)
    assert await checkout.scalar("SELECT status FROM orders WHERE id = 'ord_1'") == "CONFIRMED"
    assert "void" not in world.journal.calls
    assert not any(call.startswith("release") for call in world.journal.calls)


class DatabaseGone(Session):
    """Every commit fails before it reaches the database, once armed."""

    armed = False


@event.listens_for(DatabaseGone, "before_commit")
def _gone_before_commit(session: Session) -> None:
    if DatabaseGone.armed:
        raise ConnectionRefusedError("the database went away")


async def test_when_the_database_cannot_say_what_was_stored_nothing_is_undone(
    checkout: Checkout, database: Database, world: World
) -> None:
    sessions = async_sessionmaker(
        database.engine, expire_on_commit=False, sync_session_class=DatabaseGone
    )

    class ArmsBeforeConfirm(FakePayment):
        async def authorize(self, *args: Any) -> str:
            DatabaseGone.armed = "authorize" not in self.journal.calls  # the first time only
            return await super().authorize(*args)

    coordination = replace(checkout.deps.coordination, payment=ArmsBeforeConfirm(world.journal))
    checkout.deps = replace(checkout.deps, sessions=sessions, coordination=coordination)
    try:
        answer = await checkout(command())
    finally:
        DatabaseGone.armed = False
    await checkout.run_spawned()
    assert answer == NotStored("ord_1")
    # The claim lapses instead: its next owner continues ord_1 (the same hold), or
    # reconciliation releases what nobody confirms.
    assert "void" not in world.journal.calls
    assert await checkout.scalar("SELECT order_id FROM idempotency_keys") == "ord_1"
    retried = await checkout(command(order_id="ord_2"), at=LAPSED)
    assert isinstance(retried, Confirmed)
    assert retried.receipt.order_id == "ord_1"

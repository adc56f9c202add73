"""place_order against a real database, with fakes of pricing, inventory and payment: what
is stored, what the key keeps, and when compensation runs relative to the answer."""

from datetime import timedelta
from typing import Any

from checkout.adapters.orders import get_order
from checkout.application.key_expiry import purge_expired_keys
from checkout.application.outcomes import (
    Confirmed,
    InProgress,
    KeyReused,
    NotStored,
    Refused,
    Replayed,
    TimedOut,
)
from checkout.domain.orders import OrderStatus, PaymentDeclined
from shop_http import DependencyTimeout
from sqlalchemy import text

from ..fakes import World
from .placing import NOW, Checkout, command


async def test_a_confirmed_order_its_event_and_its_key_are_saved_together(
    checkout: Checkout, world: World
) -> None:
    answer = await checkout(command())
    assert isinstance(answer, Confirmed)
    assert answer.receipt.order_id == "ord_1"
    assert await checkout.scalar("SELECT status FROM orders WHERE id = 'ord_1'") == "CONFIRMED"
    assert await checkout.scalar("SELECT count(*) FROM order_lines") == 1
    assert await checkout.scalar(
        "SELECT array_agg(type ORDER BY id) FROM outbox WHERE key = 'ord_1'"
    ) == ["shop.checkout.OrderContactShared.v1", "shop.checkout.OrderConfirmed.v2"]
    assert await checkout.scalar("SELECT status FROM idempotency_keys") == "COMPLETED"

    again = await checkout(command())
    assert again == Replayed(answer)
    # After the answer, the hold is confirmed at inventory (its TTL no longer applies).
    await checkout.run_spawned()
    assert world.journal.calls[-1] == "confirm-hold"


async def test_definitive_refusals_are_kept_for_the_key_but_transient_ones_release_it(
    checkout: Checkout, world: World
) -> None:
    world.payment.error = PaymentDeclined()
    first = await checkout(command())
    assert isinstance(first, Refused)
    again = await checkout(command())
    assert again == Replayed(first)

    world.payment.error = DependencyTimeout("payment")
    timed_out = await checkout(command("key-00000002", order_id="ord_2"))
    assert isinstance(timed_out, TimedOut)
    key = "SELECT status, owner FROM idempotency_keys WHERE key = 'key-00000002'"
    async with checkout.database.sessions() as session:
        assert tuple((await session.execute(text(key))).one()) == ("RETRYABLE", None)
    # The REJECTED order is stored with its reason all the same.
    reason = await checkout.scalar("SELECT reject_reason FROM orders WHERE id = 'ord_2'")
    assert reason == "dependency-timeout:payment"


async def test_a_retry_after_transient_failures_supersedes_them_with_one_order(
    checkout: Checkout, world: World
) -> None:
    world.payment.error = DependencyTimeout("payment")
    assert isinstance(await checkout(command(order_id="ord_1")), TimedOut)
    assert isinstance(await checkout(command(order_id="ord_2")), TimedOut)
    world.payment.error = None
    placed = await checkout(command(order_id="ord_3"))

    assert isinstance(placed, Confirmed)
    assert placed.receipt.order_id == "ord_3"
    superseded = "SELECT id, superseded_by FROM orders ORDER BY id"
    async with checkout.database.sessions() as session:
        rows = [tuple(r) for r in await session.execute(text(superseded))]
    assert rows == [("ord_1", "ord_3"), ("ord_2", "ord_3"), ("ord_3", None)]
    assert await checkout(command(order_id="ord_4")) == Replayed(placed)


async def test_a_definitive_refusal_is_compensated_before_the_answer(
    checkout: Checkout, world: World
) -> None:
    world.payment.error = PaymentDeclined()
    await checkout(command())
    assert checkout.spawned == []
    assert world.journal.calls[-1] == "release:res_1"
    found = await _order(checkout, "ord_1")
    assert found[0].status is OrderStatus.REJECTED
    assert found[1]["compensation_status"] == "DONE"
    assert found[0].timeline[-1].type == "Compensated"


async def test_after_a_timeout_compensation_runs_after_the_answer_and_is_recorded(
    checkout: Checkout, world: World
) -> None:
    world.payment.error = DependencyTimeout("payment")
    await checkout(command())
    assert world.journal.calls[-1] == "authorize"
    assert (await _order(checkout, "ord_1"))[1]["compensation_status"] == "PENDING"

    await checkout.run_spawned()
    assert world.journal.calls[-2:] == ["void", "release:res_1"]
    assert (await _order(checkout, "ord_1"))[1]["compensation_status"] == "DONE"


async def test_a_key_reused_with_another_body_or_still_running_is_not_run(
    checkout: Checkout, world: World
) -> None:
    async with checkout.database.sessions.begin() as session:
        await session.execute(
            text(
                "INSERT INTO idempotency_keys (key, request_hash, status, created_at, "
                "locked_until) VALUES ('key-00000001', 'fp1', 'IN_PROGRESS', :now, :until)"
            ),
            {"now": NOW, "until": NOW + timedelta(seconds=30)},
        )
    assert isinstance(await checkout(command()), InProgress)
    assert isinstance(await checkout(command(fingerprint="fp2")), KeyReused)
    assert world.journal.calls == []


async def test_an_order_the_database_refuses_is_undone_and_its_key_released(
    checkout: Checkout, world: World
) -> None:
    # A customer id longer than the column: everything is held, then the save fails.
    answer = await checkout(command(customer_id="cus_" + "x" * 80))
    assert answer == NotStored("ord_1")
    assert await checkout.scalar("SELECT count(*) FROM idempotency_keys") == 0
    assert await checkout.scalar("SELECT count(*) FROM outbox") == 0

    await checkout.run_spawned()
    assert world.journal.calls[-2:] == ["void", "release:res_1"]


async def _order(checkout: Checkout, order_id: str) -> tuple[Any, dict[str, Any]]:
    async with checkout.database.sessions() as session:
        found = await get_order(session, order_id)
    assert found is not None
    return found


async def test_a_key_released_for_a_retry_that_never_came_expires_like_a_completed_one(
    checkout: Checkout, world: World
) -> None:
    world.payment.error = DependencyTimeout("payment")
    assert isinstance(await checkout(command()), TimedOut)
    purged = await purge_expired_keys(
        checkout.database.sessions, ttl=timedelta(hours=24), clock=lambda: NOW + timedelta(days=2),
        limit=10,
    )  # fmt: skip
    assert purged == 1
    assert await checkout.scalar("SELECT count(*) FROM idempotency_keys") == 0

"""The coordination use case with fakes of its ports: steps, compensation, error mapping."""

from datetime import UTC, datetime
from typing import Any

import pytest
from checkout.application.checkouts import (
    CheckoutDeps,
    CheckoutRequest,
    checkout,
)
from checkout.application.coordination import (
    Coordination,
    Placed,
    PlaceOrder,
    Refused,
    Undo,
    compensate,
    place_order,
)
from checkout.application.ports import InProgress, KeyReused, Replay, StoredResponse
from checkout.domain.orders import (
    Address,
    FraudSuspected,
    OrderStatus,
    OutOfStock,
    PaymentDeclined,
    UnknownSkus,
)
from checkout.entrypoints.api.answers import RENDERER
from shop_http import CircuitOpen, DependencyTimeout, DependencyUnavailable

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
COMMAND = PlaceOrder(
    order_id="ord_1",
    customer_id="cus_1",
    customer_email="ada@example.com",
    items=[("SKU-MUG-01", 2)],
    shipping_address=Address("Ada", "1 Main St", "Berlin", "10115", "DE"),
    payment_token="tok_visa",
    currency="EUR",
)


def coordination(world: Any) -> Coordination:
    return Coordination(world.pricing, world.inventory, world.payment, 2.0, lambda: NOW)


async def test_a_checkout_prices_reserves_and_authorizes_in_that_order(world: Any) -> None:
    outcome = await place_order(COMMAND, coordination(world))
    assert isinstance(outcome, Placed)
    assert world.journal.calls == ["quote", "reserve", "authorize"]
    order = outcome.order
    assert (order.status, order.reservation_id, order.authorization_id) == (
        OrderStatus.CONFIRMED,
        "res_1",
        "auth_1",
    )
    assert [(e.type, e.source) for e in order.timeline] == [
        ("priced", "pricing"),
        ("stock-reserved", "inventory"),
        ("payment-authorized", "payment"),
        ("OrderConfirmed", "checkout"),
    ]


async def test_an_open_breaker_refuses_before_anything_is_held(world: Any) -> None:
    world.payment.open = CircuitOpen("payment", retry_after=7)
    outcome = await place_order(COMMAND, coordination(world))
    assert isinstance(outcome, Refused)
    assert world.journal.calls == []
    assert not outcome.undo
    assert outcome.order.reject_reason == "dependency-unavailable:payment"


@pytest.mark.parametrize(
    ("failing", "error", "expected_undo"),
    [
        ("pricing", UnknownSkus(["SKU-NOPE-01"]), Undo()),
        ("inventory", OutOfStock(["SKU-MUG-01"]), Undo()),
        ("payment", PaymentDeclined(), Undo(True, "res_1", False)),
        ("payment", FraudSuspected(), Undo(True, "res_1", False)),
        # The outcome of a failed or timed-out step is unknown: undo it too.
        ("inventory", DependencyTimeout("inventory"), Undo(True, None, False)),
        ("payment", DependencyTimeout("payment"), Undo(True, "res_1", True)),
        ("payment", DependencyUnavailable("payment", "answered 500"), Undo(True, "res_1", True)),
    ],
)
async def test_every_failure_undoes_exactly_what_may_be_held(
    world: Any, failing: str, error: Exception, expected_undo: Undo
) -> None:
    getattr(world, failing).error = error
    outcome = await place_order(COMMAND, coordination(world))
    assert isinstance(outcome, Refused)
    assert outcome.error is error
    assert outcome.undo == expected_undo
    assert outcome.order.status is OrderStatus.REJECTED
    assert outcome.order.timeline[-1].type == "OrderRejected"


async def test_compensation_voids_before_it_releases(world: Any) -> None:
    failures = await compensate(
        "ord_1",
        Undo(True, "res_1", True),
        inventory=world.inventory,
        payment=world.payment,
        budget_seconds=1.0,
    )
    assert failures == []
    assert world.journal.calls == ["void", "release:res_1"]


async def test_a_hold_whose_id_never_came_back_is_released_by_order_id(world: Any) -> None:
    await compensate(
        "ord_1",
        Undo(True, None, False),
        inventory=world.inventory,
        payment=world.payment,
        budget_seconds=1.0,
    )
    assert world.journal.calls == ["release:by-order"]


async def test_compensation_that_fails_is_reported_and_the_rest_still_runs(world: Any) -> None:
    world.payment.void_error = DependencyUnavailable("payment", "answered 503")
    failures = await compensate(
        "ord_1",
        Undo(True, "res_1", True),
        inventory=world.inventory,
        payment=world.payment,
        budget_seconds=1.0,
    )
    assert world.journal.calls == ["void", "release:res_1"]
    assert len(failures) == 1
    assert failures[0].startswith("void-authorization")


def deps(world: Any, spawned: list[Any] | None = None) -> CheckoutDeps:
    return CheckoutDeps(
        coordination=coordination(world),
        store=world.store,
        render=RENDERER,
        spawn=spawned.append if spawned is not None else lambda job: job.close(),
        compensation_budget_seconds=1.0,
    )


async def run_spawned(spawned: list[Any]) -> None:
    for job in spawned:
        await job


def request(key: str = "key-00000001", fingerprint: str = "fp1") -> CheckoutRequest:
    return CheckoutRequest(key=key, fingerprint=fingerprint, command=COMMAND)


@pytest.mark.parametrize(
    ("failing", "error", "status", "slug"),
    [
        ("pricing", UnknownSkus(["SKU-X"]), 404, "unknown-sku"),
        ("inventory", OutOfStock(["SKU-MUG-01"]), 409, "out-of-stock"),
        ("payment", PaymentDeclined(), 402, "payment-declined"),
        ("payment", FraudSuspected(), 402, "fraud-suspected"),
        (
            "payment",
            DependencyUnavailable("payment", "answered 500"),
            503,
            "dependency-unavailable",
        ),
        ("payment", DependencyTimeout("payment"), 504, "checkout-timeout"),
    ],
)
async def test_each_failure_maps_to_its_problem(
    world: Any, failing: str, error: Exception, status: int, slug: str
) -> None:
    getattr(world, failing).error = error
    answer = await checkout(request(), deps(world))
    assert isinstance(answer, StoredResponse)
    assert answer.status == status
    assert answer.body["type"] == f"https://shop.example/problems/{slug}"
    assert answer.body["order_id"] == "ord_1"


async def test_unavailable_names_the_dependency_and_says_when_to_retry(world: Any) -> None:
    world.inventory.error = DependencyUnavailable("inventory", "ConnectError", retry_after=3)
    answer = await checkout(request(), deps(world))
    assert isinstance(answer, StoredResponse)
    assert answer.body["dependency"] == "inventory"
    assert answer.headers["Retry-After"] == "3"


async def test_definitive_refusals_are_kept_for_the_key_but_transient_ones_release_it(
    world: Any,
) -> None:
    world.payment.error = PaymentDeclined()
    spawned: list[Any] = []
    first = await checkout(request(), deps(world, spawned))
    again = await checkout(request(), deps(world, spawned))
    assert isinstance(again, Replay)
    assert again.response == first

    world.payment.error = DependencyTimeout("payment")
    await checkout(request("key-00000002"), deps(world, spawned))
    assert "key-00000002" not in world.store.keys
    await run_spawned(spawned)
    assert "store:rejected:released" in world.journal.calls


async def test_a_definitive_refusal_is_compensated_before_the_answer(world: Any) -> None:
    world.payment.error = PaymentDeclined()
    spawned: list[Any] = []
    await checkout(request(), deps(world, spawned))
    assert spawned == []
    assert world.journal.calls[-2:] == ["release:res_1", "store:compensation"]
    assert world.store.compensation == {"ord_1": []}


async def test_after_a_timeout_compensation_runs_after_the_answer_and_is_recorded(
    world: Any,
) -> None:
    world.payment.error = DependencyTimeout("payment")
    spawned: list[Any] = []
    await checkout(request(), deps(world, spawned))
    assert world.journal.calls[-1] == "store:rejected:released"
    await run_spawned(spawned)
    assert world.journal.calls[-3:] == ["void", "release:res_1", "store:compensation"]
    assert world.store.compensation == {"ord_1": []}


async def test_a_key_reused_with_another_body_or_still_running_is_not_run(world: Any) -> None:
    world.store.keys["key-00000001"] = ("fp1", None)
    assert isinstance(await checkout(request(), deps(world)), InProgress)
    assert isinstance(await checkout(request(fingerprint="fp2"), deps(world)), KeyReused)
    assert world.journal.calls == []

"""Coordination with fakes of its ports: the steps in order, what a failure leaves to undo,
and compensation."""

from datetime import UTC, datetime
from typing import Any

import pytest
from checkout.application.compensation import compensate
from checkout.application.coordination import Coordination, Failed, Placed, Undo, coordinate
from checkout.domain.orders import (
    Address,
    FraudSuspected,
    OrderRequest,
    OrderStatus,
    OutOfStock,
    PaymentDeclined,
    UnknownSkus,
)
from shop_http import CircuitOpen, DependencyTimeout, DependencyUnavailable

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
REQUEST = OrderRequest(
    order_id="ord_1",
    customer_id="cus_1",
    customer_email="ada@example.com",
    items=[("SKU-MUG-01", 2)],
    shipping_address=Address("Ada", "1 Main St", "Berlin", "10115", "DE"),
    payment_token="tok_visa",
    currency="EUR",
)


def coordination(world: Any) -> Coordination:
    return Coordination(world.pricing, world.inventory, world.payment, 2.0)


async def test_a_checkout_prices_reserves_and_authorizes_in_that_order(world: Any) -> None:
    outcome = await coordinate(REQUEST, coordination(world), now=NOW)
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
    # The clock is read once per checkout: every step carries the time it began.
    assert {order.created_at, *(e.occurred_at for e in order.timeline)} == {NOW}


async def test_an_open_breaker_refuses_before_anything_is_held(world: Any) -> None:
    world.payment.open = CircuitOpen("payment", retry_after=7)
    outcome = await coordinate(REQUEST, coordination(world), now=NOW)
    assert isinstance(outcome, Failed)
    assert world.journal.calls == []
    assert not outcome.undo
    assert outcome.order.reject_reason == "dependency-unavailable:payment"


@pytest.mark.parametrize(
    ("failing", "error", "expected_undo"),
    [
        # Quote and reserve run at once: a refused quote leaves the reservation to release.
        ("pricing", UnknownSkus(["SKU-NOPE-01"]), Undo(True, "res_1", False)),
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
    outcome = await coordinate(REQUEST, coordination(world), now=NOW)
    assert isinstance(outcome, Failed)
    assert outcome.error is error
    assert outcome.undo == expected_undo
    assert outcome.order.status is OrderStatus.REJECTED
    assert outcome.order.timeline[-1].type == "OrderRejected"


@pytest.mark.parametrize(
    ("inventory_error", "expected_undo"),
    [
        (OutOfStock(["SKU-MUG-01"]), Undo()),
        (DependencyTimeout("inventory"), Undo(True, None, False)),
    ],
)
async def test_when_quote_and_reserve_both_fail_pricing_is_reported_and_a_hold_undone(
    world: Any, inventory_error: Exception, expected_undo: Undo
) -> None:
    world.pricing.error = refused = UnknownSkus(["SKU-NOPE-01"])
    world.inventory.error = inventory_error
    outcome = await coordinate(REQUEST, coordination(world), now=NOW)
    assert isinstance(outcome, Failed)
    assert outcome.error is refused
    assert outcome.undo == expected_undo
    assert "authorize" not in world.journal.calls


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

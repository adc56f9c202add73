"""The drift rule of confirmed-hold-ended: a confirmed order, not shipped, whose hold ended."""

import pytest
from reconciliation.adapters.repairs import command
from reconciliation.domain.findings import Action, Kind, Repair

from .world import backordered, completed, with_order


@pytest.mark.parametrize("ended", ["EXPIRED", "RELEASED"])
def test_a_backordered_order_whose_hold_ended_is_held_again(ended: str) -> None:
    world = backordered()
    world.update("reservations", "ord_1", status=ended)
    [finding] = world.drift()
    assert finding.kind is Kind.CONFIRMED_HOLD_ENDED
    assert finding.repair == Repair(Action.REHOLD_RESERVATION, "ord_1")
    inventory = finding.evidence["inventory"]
    assert isinstance(inventory, dict)
    assert [r["status"] for r in inventory["reservations"]] == [ended]


def test_a_confirmed_order_whose_hold_is_still_held_is_not_drift() -> None:
    assert backordered().drift() == []


def test_a_cancelled_or_rejected_orders_released_hold_is_not_drift() -> None:
    for status in ("CANCELLED", "REJECTED"):
        world = with_order(backordered(), status=status)
        world.update("reservations", "ord_1", status="RELEASED")
        assert "confirmed-hold-ended" not in [kind for kind, _ in world.kinds()]


def test_a_shipped_order_is_left_to_the_commit_rule() -> None:
    world = completed()
    world.update("reservations", "ord_1", status="EXPIRED")
    assert "confirmed-hold-ended" not in [kind for kind, _ in world.kinds()]


def test_the_repair_is_inventorys_rehold_by_order() -> None:
    repair = Repair(Action.REHOLD_RESERVATION, "ord_1")
    assert command(repair) == ("inventory", "/internal/v1/reservations/by-order/ord_1/rehold", None)

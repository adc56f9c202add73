import pytest
from fulfillment.domain.allocation import (
    Allocated,
    Backordered,
    Line,
    Warehouse,
    allocate,
    merge_lines,
)

BERLIN = Warehouse("wh_berlin", "Berlin", "DE", 1, {"MUG": 5, "TEE": 1, "LAMP": 0})
ROTTERDAM = Warehouse("wh_rotterdam", "Rotterdam", "NL", 2, {"MUG": 50, "TEE": 50, "CAP": 3})


def test_the_highest_priority_warehouse_that_holds_every_line_ships_the_order() -> None:
    result = allocate([Line("MUG", 2), Line("TEE", 1)], [ROTTERDAM, BERLIN])
    assert result == Allocated("wh_berlin", (Line("MUG", 2), Line("TEE", 1)))


def test_a_lower_priority_warehouse_ships_when_the_first_is_short_of_one_line() -> None:
    result = allocate([Line("MUG", 2), Line("TEE", 2)], [BERLIN, ROTTERDAM])
    assert isinstance(result, Allocated)
    assert result.warehouse_id == "wh_rotterdam"


def test_orders_are_never_split_across_warehouses() -> None:
    # Berlin holds the mug, Rotterdam the cap: together they could, alone neither can.
    berlin = Warehouse("wh_berlin", "Berlin", "DE", 1, {"MUG": 5, "CAP": 0})
    rotterdam = Warehouse("wh_rotterdam", "Rotterdam", "NL", 2, {"MUG": 0, "CAP": 5})
    result = allocate([Line("MUG", 1), Line("CAP", 1)], [berlin, rotterdam])
    assert isinstance(result, Backordered)


def test_a_sku_no_warehouse_holds_is_backordered_and_named() -> None:
    result = allocate([Line("LAMP", 1), Line("MUG", 1)], [BERLIN, ROTTERDAM])
    assert result == Backordered(("LAMP",), (Line("LAMP", 1), Line("MUG", 1)))


def test_the_backorder_names_what_the_warehouse_closest_to_shipping_lacks() -> None:
    # Berlin lacks TEE and CAP; Rotterdam lacks only LAMP: Rotterdam is closest.
    result = allocate([Line("TEE", 2), Line("CAP", 1), Line("LAMP", 1)], [BERLIN, ROTTERDAM])
    assert isinstance(result, Backordered)
    assert result.skus_short == ("LAMP",)


def test_ties_in_shortfall_are_broken_by_priority() -> None:
    berlin = Warehouse("wh_berlin", "Berlin", "DE", 1, {"MUG": 0, "CAP": 5})
    rotterdam = Warehouse("wh_rotterdam", "Rotterdam", "NL", 2, {"MUG": 5, "CAP": 0})
    result = allocate([Line("MUG", 1), Line("CAP", 1)], [rotterdam, berlin])
    assert isinstance(result, Backordered)
    assert result.skus_short == ("MUG",)


def test_repeated_skus_are_summed_before_checking_stock() -> None:
    result = allocate([Line("MUG", 3), Line("MUG", 3)], [BERLIN, ROTTERDAM])
    assert result == Allocated("wh_rotterdam", (Line("MUG", 6),))


def test_with_no_warehouses_every_sku_is_short() -> None:
    result = allocate([Line("MUG", 1)], [])
    assert result == Backordered(("MUG",), (Line("MUG", 1),))


def test_empty_orders_and_non_positive_quantities_are_refused() -> None:
    with pytest.raises(ValueError, match="at least one line"):
        allocate([], [BERLIN])
    with pytest.raises(ValueError, match="positive"):
        merge_lines([Line("MUG", 0)])

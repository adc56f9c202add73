from datetime import UTC, datetime, timedelta

import pytest
from returns.domain.orders import OrderedLine, ReturnableOrder, merge_lines
from returns.domain.returns import (
    LineNotInOrder,
    OrderNotShipped,
    QuantityNotReturnable,
    Return,
    ReturnStatus,
    ReturnWindowClosed,
    receive,
    refund_share,
    refunded,
    request_return,
)

SHIPPED_AT = datetime(2026, 11, 1, tzinfo=UTC)
WINDOW = timedelta(days=30)
# 2 mugs at 1000 and 1 lamp at 3000: subtotal 5000, total 5500 (shipping and tax).
ORDER = ReturnableOrder(
    "ord_1",
    "cus_1",
    "EUR",
    total=5500,
    lines=(OrderedLine("SKU-MUG", 2, 1000), OrderedLine("SKU-LAMP", 1, 3000)),
    shipped={"SKU-MUG": 2, "SKU-LAMP": 1},
    shipped_at=SHIPPED_AT,
)


def _request(
    lines: dict[str, int],
    returned: dict[str, int] | None = None,
    *,
    order: ReturnableOrder = ORDER,
    now: datetime = SHIPPED_AT + timedelta(days=1),
) -> Return:
    return request_return(
        return_id="ret_1", order=order, lines=lines, returned=returned or {}, now=now, window=WINDOW
    )


def test_a_shipped_line_within_the_window_is_requested_with_its_share_of_the_total() -> None:
    ret = _request({"SKU-MUG": 1})
    assert ret.status is ReturnStatus.REQUESTED
    assert ret.refund_amount == 1100  # 1000 of 5000 is a fifth of 5500


def test_returning_everything_in_parts_refunds_exactly_the_total() -> None:
    first = refund_share(ORDER, returned={}, returning={"SKU-MUG": 1})
    second = refund_share(ORDER, returned={"SKU-MUG": 1}, returning={"SKU-MUG": 1})
    third = refund_share(ORDER, returned={"SKU-MUG": 2}, returning={"SKU-LAMP": 1})
    assert first + second + third == ORDER.total


def test_an_order_that_has_not_shipped_is_not_returnable() -> None:
    order = ReturnableOrder("ord_1", "cus_1", "EUR", 5500, ORDER.lines)
    with pytest.raises(OrderNotShipped):
        _request({"SKU-MUG": 1}, order=order)


def test_a_request_after_the_window_is_refused() -> None:
    with pytest.raises(ReturnWindowClosed):
        _request({"SKU-MUG": 1}, now=SHIPPED_AT + WINDOW + timedelta(seconds=1))


def test_a_sku_not_bought_with_the_order_is_refused() -> None:
    with pytest.raises(LineNotInOrder) as refused:
        _request({"SKU-SOCK": 1})
    assert refused.value.skus == ["SKU-SOCK"]


def test_more_than_shipped_minus_already_returned_is_refused() -> None:
    with pytest.raises(QuantityNotReturnable) as refused:
        _request({"SKU-MUG": 2}, returned={"SKU-MUG": 1})
    assert (refused.value.asked, refused.value.returnable) == (2, 1)


def test_a_line_ordered_but_not_shipped_is_not_returnable() -> None:
    order = ReturnableOrder("ord_1", "cus_1", "EUR", 5500, ORDER.lines, {"SKU-MUG": 2}, SHIPPED_AT)
    with pytest.raises(QuantityNotReturnable):
        _request({"SKU-LAMP": 1}, order=order)


def test_receiving_twice_changes_nothing_and_a_refund_ends_the_return() -> None:
    ret = _request({"SKU-MUG": 1})
    later = SHIPPED_AT + timedelta(days=2)
    received = receive(ret, now=later)
    assert received.status is ReturnStatus.RECEIVED
    assert receive(received, now=later + timedelta(hours=1)) is received
    done = refunded(received, now=later + timedelta(hours=2))
    assert (done.status, done.received_at) == (ReturnStatus.REFUNDED, later)


def test_an_order_listing_a_sku_twice_is_one_line() -> None:
    assert merge_lines([("A", 1, 100), ("B", 1, 50), ("A", 2, 100)]) == (
        OrderedLine("A", 3, 100),
        OrderedLine("B", 1, 50),
    )

"""A return and its rules: what may be returned, what it refunds, how its status moves.

    ret = request_return(return_id="ret_1", order=order, lines={"SKU-MUG-01": 1},
                         returned={}, now=now, window=timedelta(days=30))
    ret = receive(ret, now=later)          # REQUESTED -> RECEIVED (again: unchanged)
    ret = refunded(ret, now=even_later)    # RECEIVED -> REFUNDED

Refusals are exceptions whose `slug` is the problem type the API answers with. Plain
rules, standard library only: the SQL is in adapters/, the transactions in application/.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from returns.domain.orders import ReturnableOrder


class ReturnStatus(StrEnum):
    REQUESTED = "REQUESTED"
    RECEIVED = "RECEIVED"
    REFUNDED = "REFUNDED"


@dataclass(frozen=True)
class TimelineEntry:
    type: str
    source: str
    occurred_at: datetime
    detail: Mapping[str, object]


@dataclass(frozen=True)
class Return:
    id: str
    order_id: str
    customer_id: str
    status: ReturnStatus
    lines: Mapping[str, int]  # sku -> units returned
    refund_amount: int
    currency: str
    requested_at: datetime
    received_at: datetime | None = None
    refunded_at: datetime | None = None
    restocked_at: datetime | None = None
    timeline: tuple[TimelineEntry, ...] = ()


class ReturnRefused(Exception):
    """A definitive "no" to a return request; `slug` names the problem type."""

    slug = "return-refused"
    status_code = 409


class OrderNotShipped(ReturnRefused):
    slug = "order-not-returnable"

    def __init__(self, order_id: str) -> None:
        super().__init__(f"order {order_id} has not shipped: nothing can be returned yet")


class ReturnWindowClosed(ReturnRefused):
    slug = "return-window-closed"

    def __init__(self, order_id: str, closed_at: datetime) -> None:
        super().__init__(f"order {order_id}'s return window closed at {closed_at.isoformat()}")
        self.closed_at = closed_at


class LineNotInOrder(ReturnRefused):
    slug = "line-not-in-order"
    status_code = 422

    def __init__(self, skus: list[str]) -> None:
        super().__init__(f"not bought with this order: {', '.join(skus)}")
        self.skus = skus


class QuantityNotReturnable(ReturnRefused):
    slug = "return-quantity-exceeded"

    def __init__(self, sku: str, asked: int, returnable: int) -> None:
        super().__init__(
            f"{asked} of {sku} asked back, {returnable} returnable (shipped minus returned)"
        )
        self.sku = sku
        self.asked = asked
        self.returnable = returnable


def request_return(
    *,
    return_id: str,
    order: ReturnableOrder,
    lines: Mapping[str, int],
    returned: Mapping[str, int],
    now: datetime,
    window: timedelta,
) -> Return:
    """A REQUESTED return of `lines` (sku -> units), given what earlier returns of the order
    took back (`returned`). Raises a `ReturnRefused`."""
    if order.shipped_at is None or not order.shipped:
        raise OrderNotShipped(order.order_id)
    closes = order.shipped_at + window
    if now > closes:
        raise ReturnWindowClosed(order.order_id, closes)
    unknown = sorted(sku for sku in lines if order.line(sku) is None)
    if unknown:
        raise LineNotInOrder(unknown)
    for sku, asked in sorted(lines.items()):
        returnable = order.shipped.get(sku, 0) - returned.get(sku, 0)
        if asked > returnable:
            raise QuantityNotReturnable(sku, asked, max(returnable, 0))
    return Return(
        id=return_id,
        order_id=order.order_id,
        customer_id=order.customer_id,
        status=ReturnStatus.REQUESTED,
        lines=dict(lines),
        refund_amount=refund_share(order, returned=returned, returning=lines),
        currency=order.currency,
        requested_at=now,
    )


def refund_share(
    order: ReturnableOrder, *, returned: Mapping[str, int], returning: Mapping[str, int]
) -> int:
    """The returned lines' share of the order's total, in minor units.

    Computed cumulatively (what everything returned so far is worth, minus what the earlier
    returns were worth) so rounding never adds up past the total: returning every unit, in
    any number of returns, refunds exactly the total."""
    if order.subtotal <= 0:
        return 0
    before = order.value_of(returned)
    after = before + order.value_of(returning)
    return _share(order.total, after, order.subtotal) - _share(order.total, before, order.subtotal)


def _share(total: int, value: int, subtotal: int) -> int:
    return total * min(value, subtotal) // subtotal


def receive(ret: Return, *, now: datetime) -> Return:
    """The units are back: RECEIVED. A return already received (or refunded) is unchanged."""
    if ret.status is not ReturnStatus.REQUESTED:
        return ret
    return replace(ret, status=ReturnStatus.RECEIVED, received_at=now)


def refunded(ret: Return, *, now: datetime) -> Return:
    """Payment refunded it: REFUNDED (from RECEIVED; a refund seen first still counts)."""
    if ret.status is ReturnStatus.REFUNDED:
        return ret
    return replace(
        ret,
        status=ReturnStatus.REFUNDED,
        received_at=ret.received_at or now,
        refunded_at=now,
    )


def restocked(ret: Return, *, now: datetime) -> Return:
    """Inventory has the units on hand again; the status does not depend on it."""
    return ret if ret.restocked_at is not None else replace(ret, restocked_at=now)

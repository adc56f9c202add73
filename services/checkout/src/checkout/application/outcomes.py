"""What a checkout can come to, as plain values; the HTTP layer alone turns them into answers.

    match await place_order(command):
        case Confirmed(receipt): ...          # 201 in entrypoints/api/answers.py
        case Replayed(outcome): ...           # the same answer again, marked as a replay

A definitive outcome (Confirmed, Refused) is kept with its Idempotency-Key as a small JSON
record (`record_of`), and a replay rebuilds it (`outcome_from`), so fresh and replayed
answers come from the same outcome through the same rendering. Transient outcomes
(Unavailable, TimedOut, NotStored) release the key instead: a retry runs the checkout again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shop_http import DependencyError, DependencyTimeout, DependencyUnavailable

from checkout.domain.orders import CheckoutRejected, Order, OrderLine


@dataclass(frozen=True)
class Receipt:
    """What the customer is told of a confirmed order, then and on every replay."""

    order_id: str
    status: str
    currency: str
    total: int
    lines: tuple[OrderLine, ...]
    fulfillment_status: str
    created_at: datetime

    @classmethod
    def of(cls, order: Order) -> Receipt:
        return cls(
            order_id=order.id,
            status=order.status.value,
            currency=order.currency,
            total=order.total,
            lines=order.cart.lines if order.cart else (),
            fulfillment_status=order.fulfillment_status,
            created_at=order.created_at,
        )


@dataclass(frozen=True)
class Confirmed:
    receipt: Receipt


@dataclass(frozen=True)
class Refused:
    """A definitive "no" (`reason` is the problem slug); the REJECTED order is stored."""

    order_id: str
    reason: str
    detail: str
    skus: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unavailable:
    """A dependency gave no usable answer (down, failing, or its breaker open)."""

    order_id: str
    dependency: str
    detail: str
    retry_after: int


@dataclass(frozen=True)
class TimedOut:
    """The checkout's budget ran out waiting for `dependency`."""

    order_id: str
    dependency: str


@dataclass(frozen=True)
class NotStored:
    """Everything was held, but the database could not save the order: undone, key released."""

    order_id: str


@dataclass(frozen=True)
class Replayed:
    """The key's first request already ended so: the same outcome again."""

    outcome: Confirmed | Refused


@dataclass(frozen=True)
class InProgress:
    """Another request with this key is running (or crashed less than the lock ago)."""


@dataclass(frozen=True)
class KeyReused:
    """The key was first used with another request body."""


Outcome = Confirmed | Refused | Unavailable | TimedOut | NotStored
Answer = Outcome | Replayed | InProgress | KeyReused


def failure_of(order_id: str, error: CheckoutRejected | DependencyError) -> Outcome:
    """The outcome of a checkout stopped by `error`."""
    if isinstance(error, CheckoutRejected):
        skus = tuple(str(sku) for sku in getattr(error, "skus", ()))
        return Refused(order_id, error.slug, str(error), skus)
    if isinstance(error, DependencyTimeout):
        return TimedOut(order_id, error.dependency)
    retry_after = error.retry_after if isinstance(error, DependencyUnavailable) else 1
    return Unavailable(order_id, error.dependency, str(error), retry_after)


def record_of(outcome: Confirmed | Refused) -> dict[str, Any]:
    """The outcome as the idempotency record keeps it (JSON-ready)."""
    if isinstance(outcome, Refused):
        return {
            "outcome": "refused",
            "order_id": outcome.order_id,
            "reason": outcome.reason,
            "detail": outcome.detail,
            "skus": list(outcome.skus),
        }
    receipt = outcome.receipt
    return {
        "outcome": "confirmed",
        "order_id": receipt.order_id,
        "status": receipt.status,
        "currency": receipt.currency,
        "total": receipt.total,
        "lines": [
            {"sku": li.sku, "name": li.name, "quantity": li.quantity, "unit_price": li.unit_price}
            for li in receipt.lines
        ],
        "fulfillment_status": receipt.fulfillment_status,
        "created_at": receipt.created_at.isoformat(),
    }


def outcome_from(record: dict[str, Any]) -> Confirmed | Refused:
    """The outcome `record_of` kept."""
    if record["outcome"] == "refused":
        skus = tuple(record["skus"])
        return Refused(record["order_id"], record["reason"], record["detail"], skus)
    lines = tuple(
        OrderLine(li["sku"], li["name"], li["quantity"], li["unit_price"]) for li in record["lines"]
    )
    receipt = Receipt(
        order_id=record["order_id"],
        status=record["status"],
        currency=record["currency"],
        total=record["total"],
        lines=lines,
        fulfillment_status=record["fulfillment_status"],
        created_at=datetime.fromisoformat(record["created_at"]),
    )
    return Confirmed(receipt)

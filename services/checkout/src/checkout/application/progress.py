"""Event handlers: what the other services did with an order, recorded on the order.

    {ShipmentCreated: partial(record_shipment, clock=clock), ...}   # entrypoints/worker.py

Each handler runs inside the consumer's inbox transaction and never commits. It locks the
order, adds one timeline entry per business fact (a redelivery, or a republish with a new
event id, finds the entry and changes nothing), records the fact and derives every status
again from all the facts (domain/progress.py), so arrival order does not matter.

`correct_order` is reconciliation's way in (POST /internal/v1/orders/{id}/facts): the
facts it found at their owners, recorded by the same `learn` the handlers use.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shop_contracts import (
    BackorderDeclared,
    CloudEvent,
    CustomerNotified,
    PaymentCaptured,
    PaymentCaptureFailed,
    PaymentRefunded,
    PaymentVoided,
    ReservationCommitted,
    ReservationReleased,
    ReturnReceived,
    ReturnRequested,
    ShipmentCreated,
    ShipmentDispatchedV2,
)
from shop_servicekit import Clock
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from checkout.adapters import orders
from checkout.adapters.metrics import ORDER_STATUS_REACHED, ORDER_TRANSITIONS
from checkout.domain.orders import Order, OrderStatus, TimelineEntry
from checkout.domain.progress import (
    Fact,
    OrderNotFound,
    Progress,
    Statuses,
    UnknownOrder,
    statuses_of,
)

RECONCILIATION = "reconciliation"


async def record_backorder(
    session: AsyncSession, event: CloudEvent[BackorderDeclared], *, clock: Clock
) -> None:
    skus = sorted(event.data.skus_short)
    await _record(session, event, Fact.BACKORDERED, ",".join(skus), {"skus_short": skus}, clock)


async def record_shipment(
    session: AsyncSession, event: CloudEvent[ShipmentCreated], *, clock: Clock
) -> None:
    data = event.data
    detail = {"shipment_id": data.shipment_id, "warehouse_id": data.warehouse_id}
    await _record(session, event, Fact.SHIPPED, data.shipment_id, detail, clock)


async def record_dispatch(
    session: AsyncSession, event: CloudEvent[ShipmentDispatchedV2], *, clock: Clock
) -> None:
    data = event.data
    detail = {
        "shipment_id": data.shipment_id,
        "carrier": data.carrier,
        "tracking": data.tracking_number,
    }
    await _record(session, event, Fact.DISPATCHED, data.shipment_id, detail, clock)


async def record_reservation_commit(
    session: AsyncSession, event: CloudEvent[ReservationCommitted], *, clock: Clock
) -> None:
    reservation_id = event.data.reservation_id
    detail = {"reservation_id": reservation_id}
    await _record(session, event, Fact.RESERVATION_COMMITTED, reservation_id, detail, clock)


async def record_reservation_release(
    session: AsyncSession, event: CloudEvent[ReservationReleased], *, clock: Clock
) -> None:
    data = event.data
    detail = {"reservation_id": data.reservation_id, "reason": data.reason}
    # The timeline shows it; no status depends on it (a cancel or an expiry already did).
    await _record(session, event, None, data.reservation_id, detail, clock)


async def record_capture(
    session: AsyncSession, event: CloudEvent[PaymentCaptured], *, clock: Clock
) -> None:
    data = event.data
    detail = {"authorization_id": data.authorization_id, "amount": data.amount.model_dump()}
    await _record(session, event, Fact.CAPTURED, data.authorization_id, detail, clock)


async def record_capture_failure(
    session: AsyncSession, event: CloudEvent[PaymentCaptureFailed], *, clock: Clock
) -> None:
    data = event.data
    detail = {"authorization_id": data.authorization_id, "reason": data.reason}
    key = f"{data.authorization_id}:{data.reason}"
    await _record(session, event, Fact.CAPTURE_FAILED, key, detail, clock)


async def record_void(
    session: AsyncSession, event: CloudEvent[PaymentVoided], *, clock: Clock
) -> None:
    data = event.data
    detail = {"authorization_id": data.authorization_id, "reason": data.reason}
    await _record(session, event, Fact.VOIDED, data.authorization_id, detail, clock)


async def record_notification(
    session: AsyncSession, event: CloudEvent[CustomerNotified], *, clock: Clock
) -> None:
    data = event.data
    detail = {"notification_id": data.notification_id, "kind": data.kind}
    await _record(session, event, Fact.NOTIFIED, data.notification_id, detail, clock)


async def record_return_request(
    session: AsyncSession, event: CloudEvent[ReturnRequested], *, clock: Clock
) -> None:
    data = event.data
    detail = {"return_id": data.return_id, "lines": [line.model_dump() for line in data.lines]}
    # Returns own the return's status (ADR 0015); the order shows it on its timeline only.
    await _record(session, event, None, data.return_id, detail, clock)


async def record_return_receipt(
    session: AsyncSession, event: CloudEvent[ReturnReceived], *, clock: Clock
) -> None:
    data = event.data
    detail = {"return_id": data.return_id, "refund": data.refund.model_dump()}
    await _record(session, event, None, data.return_id, detail, clock)


async def record_refund(
    session: AsyncSession, event: CloudEvent[PaymentRefunded], *, clock: Clock
) -> None:
    data = event.data
    detail = {
        "return_id": data.return_id,
        "refund_id": data.refund_id,
        "amount": data.amount.model_dump(),
    }
    await _record(session, event, None, data.refund_id, detail, clock)


async def _record(
    session: AsyncSession,
    event: CloudEvent[Any],
    fact: Fact | None,
    key: str,
    detail: Mapping[str, object],
    clock: Clock,
) -> None:
    order_id: str = event.data.order_id
    found = await orders.lock_progress(session, order_id)
    if found is None:
        raise UnknownOrder(order_id)
    order, progress = found
    # The event's name without its version: a fact is the same fact in v1 and v2.
    name = event.type.rsplit(".", 2)[-2]
    entry = TimelineEntry(
        type=name,
        source=event.source.removeprefix("/"),
        occurred_at=event.time,
        detail={**detail, "event_id": event.id},
    )
    if not await orders.add_fact_entry(session, order_id, entry, f"{name}:{key}"):
        return  # this business fact is already on the order
    if fact is not None:
        await learn(session, order, progress, (fact,), at=event.time, now=clock())


async def learn(
    session: AsyncSession,
    order: Order,
    progress: Progress,
    facts: Iterable[Fact],
    *,
    at: datetime,
    now: datetime,
) -> Statuses | None:
    """Record the facts not yet known (since `at`; a known fact keeps its first time),
    derive every status again from all the facts and save them, `updated_at` = `now`.

    The one way a fact reaches an order, from an event or from reconciliation. None (and
    nothing written) when every fact was already known."""
    learned = progress
    for fact in facts:
        learned = learned.record(fact, at)
    if learned == progress:
        return None
    statuses = statuses_of(learned, rejected=order.status is OrderStatus.REJECTED)
    await orders.save_progress(session, order.id, learned, statuses, now)
    if statuses.status is not order.status:
        ORDER_TRANSITIONS.labels(order.status.value, statuses.status.value).inc()
        reached = (now - order.created_at).total_seconds()
        ORDER_STATUS_REACHED.labels(statuses.status.value).observe(max(reached, 0.0))
    return statuses


@dataclass(frozen=True)
class CorrectOrder:
    """The downstream facts reconciliation found at their owners (docs/reconciliation.md)."""

    order_id: str
    facts: frozenset[Fact]


async def correct_order(
    command: CorrectOrder, *, sessions: async_sessionmaker[AsyncSession], clock: Clock
) -> Order:
    """The order after learning `command.facts`. Raises OrderNotFound.

    Facts only accumulate: a fact the order already knows changes nothing, and a fact left
    out is never taken back. Facts it learns here are timed when checkout learned them
    (reconciliation reports that a fact holds, not when it began), and a "StatusCorrected"
    timeline entry (source reconciliation) lists them with the statuses they changed. The
    statuses are derived from all the facts, as for an event: a CANCELLED or REJECTED order
    stays so. Nothing is published (checkout announces no status changes)."""
    async with sessions.begin() as session:
        found = await orders.lock_progress(session, command.order_id)
        if found is None:
            raise OrderNotFound(command.order_id)
        order, progress = found
        new = [fact for fact in Fact if fact in command.facts and not progress.known(fact)]
        at = clock()
        statuses = await learn(session, order, progress, new, at=at, now=at)
        if statuses is not None:
            entry = TimelineEntry(
                "StatusCorrected",
                RECONCILIATION,
                at,
                {"facts": [fact.value for fact in new], "statuses": _changes(order, statuses)},
            )
            await orders.add_timeline_entry(session, order.id, entry)
        corrected = await orders.get_order(session, order.id)
    assert corrected is not None  # locked above, in this transaction
    return corrected[0]


def _changes(order: Order, statuses: Statuses) -> dict[str, object]:
    """{"status": {"from": "CONFIRMED", "to": "COMPLETED"}, ...}: the statuses that moved."""
    pairs = {
        "status": (order.status.value, statuses.status.value),
        "fulfillment_status": (order.fulfillment_status, statuses.fulfillment),
        "payment_status": (order.payment_status, statuses.payment),
        "notification_status": (order.notification_status, statuses.notification),
    }
    return {name: {"from": old, "to": new} for name, (old, new) in pairs.items() if old != new}

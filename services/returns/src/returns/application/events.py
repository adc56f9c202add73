"""Event handlers: what returns learns from the other services.

    {OrderConfirmedV2: partial(learn_order), ...}   # entrypoints/worker.py

Each runs inside the consumer's inbox transaction and never commits. Orders and shipments
build returns' own copy of what may be returned; ReturnRestocked and PaymentRefunded move
a return along and show on its timeline. Each is idempotent on its business key (the
order, the shipment, the return), so an event republished under a new id changes nothing.
"""

from __future__ import annotations

import logging
from collections import Counter

from shop_contracts import (
    CloudEvent,
    OrderConfirmedV2,
    PaymentRefunded,
    ReturnRestocked,
    ShipmentCreated,
)
from shop_servicekit import Clock
from sqlalchemy.ext.asyncio import AsyncSession

from returns.adapters import orders
from returns.adapters import returns as rows
from returns.domain import returns as rules
from returns.domain.orders import ReturnableOrder, merge_lines
from returns.domain.returns import TimelineEntry

log = logging.getLogger(__name__)


async def learn_order(session: AsyncSession, event: CloudEvent[OrderConfirmedV2]) -> None:
    data = event.data
    order = ReturnableOrder(
        order_id=data.order_id,
        customer_id=data.customer_id,
        currency=data.total.currency,
        total=data.total.amount,
        lines=merge_lines([(li.sku, li.quantity, li.unit_price.amount) for li in data.lines]),
    )
    await orders.add_order(session, order, confirmed_at=data.confirmed_at)


async def learn_shipment(session: AsyncSession, event: CloudEvent[ShipmentCreated]) -> None:
    data = event.data
    lines: Counter[str] = Counter()
    for line in data.lines:
        lines[line.sku] += line.quantity
    await orders.add_shipment(
        session,
        order_id=data.order_id,
        shipment_id=data.shipment_id,
        lines=dict(lines),
        shipped_at=event.time,
    )


async def record_refund(
    session: AsyncSession, event: CloudEvent[PaymentRefunded], *, clock: Clock
) -> None:
    data = event.data
    ret = await rows.get(session, data.return_id, lock=True)
    if ret is None:
        log.warning("refund %s names no return here: %s", data.refund_id, data.return_id)
        return
    detail = {"refund_id": data.refund_id, "amount": data.amount.model_dump()}
    entry = TimelineEntry("PaymentRefunded", event.source.removeprefix("/"), event.time, detail)
    if not await rows.add_timeline_entry(session, ret.id, entry, f"refunded:{data.refund_id}"):
        return
    await rows.save_status(session, rules.refunded(ret, now=clock()))


async def record_restock(
    session: AsyncSession, event: CloudEvent[ReturnRestocked], *, clock: Clock
) -> None:
    data = event.data
    ret = await rows.get(session, data.return_id, lock=True)
    if ret is None:
        log.warning("restock names no return here: %s", data.return_id)
        return
    detail = {"lines": [line.model_dump() for line in data.lines]}
    entry = TimelineEntry("ReturnRestocked", event.source.removeprefix("/"), event.time, detail)
    if not await rows.add_timeline_entry(session, ret.id, entry, "restocked"):
        return
    await rows.save_status(session, rules.restocked(ret, now=clock()))

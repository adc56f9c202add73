"""The two commands on a return: the owner requests it, the warehouse receives it.

    created = await request_return(sessions, outbox, command, clock=clock, window=window)
    ret = await receive_return(sessions, outbox, "ret_1", clock=clock)

Each runs in one transaction with its event in the outbox (ReturnRequested,
ReturnReceived), so the status and the event never disagree. The order's row is locked
while a return is requested: two requests for one order are serialised, and together they
never take back more than shipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from shop_contracts import Money, ReturnLine, ReturnReceived, ReturnRequested
from shop_messaging import Outbox
from shop_servicekit import Clock, new_id
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from returns.adapters import orders
from returns.adapters import returns as rows
from returns.domain import returns as rules
from returns.domain.returns import Return, TimelineEntry

ID_PREFIX = "ret"
SOURCE = "returns"


class OrderNotFound(Exception):
    """No such order here, or not the caller's (the API answers both alike)."""


class ReturnNotFound(Exception):
    pass


class KeyReused(Exception):
    """The Idempotency-Key already created a return from another body."""


@dataclass(frozen=True)
class RequestReturn:
    customer_id: str
    order_id: str
    lines: dict[str, int]  # sku -> units, one entry per SKU
    idempotency_key: str  # already scoped to the customer
    fingerprint: str  # of the request body


@dataclass(frozen=True)
class Requested:
    ret: Return
    replayed: bool


async def request_return(
    sessions: async_sessionmaker[AsyncSession],
    outbox: Outbox,
    command: RequestReturn,
    *,
    clock: Clock,
    window: timedelta,
) -> Requested:
    """A REQUESTED return, once per key. Raises OrderNotFound, KeyReused or a
    `domain.returns.ReturnRefused`."""
    now = clock()
    async with sessions.begin() as session:
        replay = await _replay(session, command)
        if replay is not None:
            return replay
        order = await orders.lock_order(session, command.order_id)
        if order is None or order.customer_id != command.customer_id:
            raise OrderNotFound(command.order_id)
        ret = rules.request_return(
            return_id=new_id(ID_PREFIX),
            order=order,
            lines=command.lines,
            returned=await rows.returned_so_far(session, order.order_id),
            now=now,
            window=window,
        )
        if not await rows.add_return(
            session, ret, idempotency_key=command.idempotency_key, fingerprint=command.fingerprint
        ):
            # Only a concurrent request with the same key gets here: its return stands.
            raise KeyReused(command.idempotency_key)
        lines = _lines(ret)
        detail = {"lines": [line.model_dump() for line in lines], "refund": ret.refund_amount}
        await rows.add_timeline_entry(
            session, ret.id, TimelineEntry("ReturnRequested", SOURCE, now, detail), "requested"
        )
        await outbox.add(
            session, ReturnRequested(order_id=ret.order_id, return_id=ret.id, lines=lines)
        )
    return Requested(await _reread(sessions, ret.id), replayed=False)


async def _replay(session: AsyncSession, command: RequestReturn) -> Requested | None:
    found = await rows.for_key(session, command.idempotency_key)
    if found is None:
        return None
    ret, fingerprint = found
    if fingerprint != command.fingerprint:
        raise KeyReused(command.idempotency_key)
    return Requested(ret, replayed=True)


async def receive_return(
    sessions: async_sessionmaker[AsyncSession], outbox: Outbox, return_id: str, *, clock: Clock
) -> Return:
    """RECEIVED, with ReturnReceived in the outbox; a return already received (or refunded)
    is answered as it is, and nothing is published twice. Raises ReturnNotFound."""
    async with sessions.begin() as session:
        ret = await rows.get(session, return_id, lock=True)
        if ret is None:
            raise ReturnNotFound(return_id)
        received = rules.receive(ret, now=clock())
        if received is ret:
            return ret
        await rows.save_status(session, received)
        assert received.received_at is not None  # set by `receive`
        detail = {"refund": received.refund_amount}
        entry = TimelineEntry("ReturnReceived", SOURCE, received.received_at, detail)
        await rows.add_timeline_entry(session, ret.id, entry, "received")
        await outbox.add(
            session,
            ReturnReceived(
                order_id=received.order_id,
                return_id=received.id,
                customer_id=received.customer_id,
                lines=_lines(received),
                refund=Money(amount=received.refund_amount, currency=received.currency),
            ),
        )
    return await _reread(sessions, return_id)


def _lines(ret: Return) -> tuple[ReturnLine, ...]:
    return tuple(ReturnLine(sku=sku, quantity=qty) for sku, qty in sorted(ret.lines.items()))


async def _reread(sessions: async_sessionmaker[AsyncSession], return_id: str) -> Return:
    async with sessions() as session:
        found = await rows.get(session, return_id)
    assert found is not None  # committed above
    return found

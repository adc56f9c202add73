"""A received return's units go back on hand (on ReturnReceived), once per return.

    await restock_received_return(session, event, outbox=outbox, clock=clock)   # consumer
    await restock_return(sessions, outbox, RestockReturn(...), clock=clock)    # repair

Idempotent on the return id (the `restocks` row), not only on the event id: a
ReturnReceived republished under a new id, or reconciliation's repair after the event did
arrive, adds nothing twice. A SKU inventory does not stock is left out (logged): nothing
can hold it. ReturnRestocked announces what went back (to the return's followers), and a
StockReplenished per SKU announces the stock it adds: fulfillment shelves the units at its
receiving dock and ships the backorders they now cover, as for any other goods received.
"""

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from shop_contracts import (
    CloudEvent,
    ReturnLine,
    ReturnReceived,
    ReturnRestocked,
    StockReplenished,
)
from shop_messaging import Outbox
from shop_servicekit import Clock
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from inventory.adapters import repository, restocks

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RestockReturn:
    return_id: str
    order_id: str
    lines: Mapping[str, int]  # sku -> units


async def restock_received_return(
    session: AsyncSession, event: CloudEvent[ReturnReceived], *, outbox: Outbox, clock: Clock
) -> None:
    data = event.data
    lines: dict[str, int] = {}
    for line in data.lines:
        lines[line.sku] = lines.get(line.sku, 0) + line.quantity
    command = RestockReturn(data.return_id, data.order_id, lines)
    await _restock(session, outbox, command, clock=clock)


async def restock_return(
    sessions: async_sessionmaker[AsyncSession],
    outbox: Outbox,
    command: RestockReturn,
    *,
    clock: Clock,
) -> bool:
    """Reconciliation's repair, in a transaction of its own: True if restocked now, False
    if the return was restocked before."""
    async with sessions.begin() as session:
        return await _restock(session, outbox, command, clock=clock)


async def _restock(
    session: AsyncSession, outbox: Outbox, command: RestockReturn, *, clock: Clock
) -> bool:
    # The stock rows' locks first, as every writer of stock takes them (no deadlock).
    stocked = await repository.lock_stock(session, command.lines)
    if not await restocks.add_restock(
        session,
        return_id=command.return_id,
        order_id=command.order_id,
        lines=command.lines,
        now=clock(),
    ):
        log.info("return %s is already restocked", command.return_id)
        return False
    back = {sku: qty for sku, qty in sorted(command.lines.items()) if sku in stocked}
    for sku in sorted(set(command.lines) - set(back)):
        log.warning("return %s names %s, which inventory does not stock", command.return_id, sku)
    for sku, quantity in back.items():
        level = await repository.add_on_hand(session, sku, quantity)
        await outbox.add(
            session, StockReplenished(sku=sku, quantity=quantity, available=level.available)
        )
    if back:
        await outbox.add(
            session,
            ReturnRestocked(
                order_id=command.order_id,
                return_id=command.return_id,
                lines=tuple(ReturnLine(sku=sku, quantity=qty) for sku, qty in back.items()),
            ),
        )
    log.info(
        "restocked return %s of order %s",
        command.return_id,
        command.order_id,
        extra={"order_id": command.order_id},
    )
    return True

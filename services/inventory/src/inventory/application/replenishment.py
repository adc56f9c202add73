"""Use case: goods received. On-hand stock grows, and the world hears of it.

One transaction: the receipt, the new stock level and `StockReplenished` (which lets
Fulfillment ship waiting backorders) exist together or not at all. With an
Idempotency-Key, a retried request finds its receipt and adds nothing.
"""

from dataclasses import dataclass

from shop_contracts import StockReplenished
from shop_messaging import Outbox
from shop_servicekit import Clock, new_id
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from inventory.adapters import receipts, repository
from inventory.domain.receipts import Receipt, same_receipt
from inventory.domain.reservations import StockLevel, UnknownSkus


@dataclass(frozen=True)
class ReplenishStock:
    sku: str
    quantity: int
    reference: str | None = None
    idempotency_key: str | None = None


async def replenish_stock(
    sessions: async_sessionmaker[AsyncSession],
    outbox: Outbox,
    command: ReplenishStock,
    *,
    clock: Clock,
) -> tuple[Receipt, StockLevel, bool]:
    """The receipt, the SKU's stock now, and whether this call added the goods (False: a
    retry of an earlier receipt with the same Idempotency-Key).

    Raises `UnknownSkus` for a SKU Inventory does not stock, and `ReceiptConflict` when
    the key was used for other goods.
    """
    async with sessions.begin() as session:
        # The stock row's lock queues concurrent receipts of one SKU behind each other.
        if command.sku not in await repository.lock_stock(session, [command.sku]):
            raise UnknownSkus([command.sku])
        receipt = Receipt(
            id=new_id("rcp"),
            sku=command.sku,
            quantity=command.quantity,
            reference=command.reference,
            idempotency_key=command.idempotency_key,
            received_at=clock(),
        )
        if not await receipts.add_receipt(session, receipt):
            return await _earlier(session, command)
        level = await repository.add_on_hand(session, command.sku, command.quantity)
        await outbox.add(
            session,
            StockReplenished(sku=command.sku, quantity=command.quantity, available=level.available),
        )
        return receipt, level, True


async def _earlier(
    session: AsyncSession, command: ReplenishStock
) -> tuple[Receipt, StockLevel, bool]:
    assert command.idempotency_key is not None  # only a key can clash
    existing = await receipts.get_receipt_by_key(session, command.idempotency_key)
    assert existing is not None
    earlier = same_receipt(
        existing, sku=command.sku, quantity=command.quantity, reference=command.reference
    )
    level = await repository.get_stock(session, command.sku)
    assert level is not None
    return earlier, level, False

"""Use case and query of items. Each opens its own transaction; routes call only these."""

from dataclasses import dataclass

from shop_servicekit import Clock, new_id
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from returns.adapters import items as rows
from returns.domain.items import Item, new_item

ID_PREFIX = "ret"


class KeyReused(Exception):
    """The Idempotency-Key already created an item from another body."""


@dataclass(frozen=True)
class CreateItem:
    idempotency_key: str
    name: str


@dataclass(frozen=True)
class Created:
    item: Item
    replayed: bool


async def create_item(
    sessions: async_sessionmaker[AsyncSession], command: CreateItem, *, clock: Clock
) -> Created:
    """Create the item once per key: a retry with the same key and body gets the same item."""
    item = new_item(item_id=new_id(ID_PREFIX), name=command.name, now=clock())
    async with sessions.begin() as session:
        if await rows.insert_item(session, item, idempotency_key=command.idempotency_key):
            # The place for `outbox.add(session, event)`: the event commits with the item.
            return Created(item, replayed=False)
        stored = await rows.item_for_key(session, command.idempotency_key)
    if stored is None or stored.name != item.name:
        raise KeyReused(command.idempotency_key)
    return Created(stored, replayed=True)


async def find_item(sessions: async_sessionmaker[AsyncSession], item_id: str) -> Item | None:
    async with sessions() as session:
        return await rows.load_item(session, item_id)

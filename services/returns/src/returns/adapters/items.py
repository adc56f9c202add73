"""Reads and writes of items, in the caller's session (its transaction)."""

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from returns.adapters.tables import items
from returns.domain.items import Item


async def insert_item(session: AsyncSession, item: Item, *, idempotency_key: str) -> bool:
    """True if the item was written; False if the key had already created one."""
    written = await session.execute(
        insert(items)
        .values(
            id=item.id,
            name=item.name,
            idempotency_key=idempotency_key,
            created_at=item.created_at,
        )
        .on_conflict_do_nothing(index_elements=[items.c.idempotency_key])
        .returning(items.c.id)
    )
    return written.first() is not None


async def item_for_key(session: AsyncSession, idempotency_key: str) -> Item | None:
    row = (
        await session.execute(select(items).where(items.c.idempotency_key == idempotency_key))
    ).one_or_none()
    return None if row is None else Item(row.id, row.name, row.created_at)


async def load_item(session: AsyncSession, item_id: str) -> Item | None:
    row = (await session.execute(select(items).where(items.c.id == item_id))).one_or_none()
    return None if row is None else Item(row.id, row.name, row.created_at)

"""Idempotency keys in the caller's session: insert, lock, extend, complete, release.

A claim is an INSERT ... ON CONFLICT DO NOTHING committed before any downstream call, so
of two racing identical requests exactly one inserts; the other finds the key in progress.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from checkout.adapters.tables import idempotency_keys
from checkout.domain.idempotency import StoredKey

IN_PROGRESS = "IN_PROGRESS"
COMPLETED = "COMPLETED"


async def insert_key(
    session: AsyncSession, key: str, fingerprint: str, *, now: datetime, locked_until: datetime
) -> bool:
    """True if the key was new (and is now IN_PROGRESS, ours until `locked_until`)."""
    inserted = await session.execute(
        insert(idempotency_keys)
        .values(
            key=key,
            request_hash=fingerprint,
            status=IN_PROGRESS,
            created_at=now,
            locked_until=locked_until,
        )
        .on_conflict_do_nothing(index_elements=[idempotency_keys.c.key])
        .returning(idempotency_keys.c.key)
    )
    return inserted.first() is not None


async def lock_key(session: AsyncSession, key: str) -> StoredKey | None:
    """The stored key, row-locked until commit; None if it was released meanwhile."""
    row = (
        await session.execute(
            select(idempotency_keys).where(idempotency_keys.c.key == key).with_for_update()
        )
    ).one_or_none()
    if row is None:
        return None
    return StoredKey(
        fingerprint=row.request_hash,
        completed=row.status == COMPLETED,
        locked_until=row.locked_until,
        outcome=row.outcome,
    )


async def extend_lock(session: AsyncSession, key: str, *, locked_until: datetime) -> None:
    await session.execute(
        update(idempotency_keys)
        .where(idempotency_keys.c.key == key)
        .values(locked_until=locked_until)
    )


async def complete_key(
    session: AsyncSession, key: str, order_id: str, outcome: dict[str, Any]
) -> None:
    await session.execute(
        update(idempotency_keys)
        .where(idempotency_keys.c.key == key)
        .values(status=COMPLETED, order_id=order_id, outcome=outcome)
    )


async def delete_key(session: AsyncSession, key: str) -> None:
    """Forget an IN_PROGRESS key (a completed one is kept: it answers replays)."""
    await session.execute(
        delete(idempotency_keys).where(
            idempotency_keys.c.key == key, idempotency_keys.c.status == IN_PROGRESS
        )
    )

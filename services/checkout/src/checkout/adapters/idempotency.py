"""Idempotency keys in the caller's session: insert, lock, take over, complete, release.

A claim is an INSERT ... ON CONFLICT DO NOTHING committed before any downstream call, so
of two racing identical requests exactly one inserts; the other finds the key in progress.
Completing and releasing are fenced: the UPDATE or DELETE names the claim's owner, so a
request whose claim was taken over changes nothing (and learns so from the row count).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from checkout.adapters.tables import idempotency_keys
from checkout.domain.idempotency import Claim, StoredKey

IN_PROGRESS = "IN_PROGRESS"
COMPLETED = "COMPLETED"
RETRYABLE = "RETRYABLE"

keys = idempotency_keys.c


async def insert_key(
    session: AsyncSession, claim: Claim, fingerprint: str, *, now: datetime, locked_until: datetime
) -> bool:
    """True if the key was new (and is now IN_PROGRESS, the claim's until `locked_until`)."""
    inserted = await session.execute(
        insert(idempotency_keys)
        .values(
            key=claim.key,
            request_hash=fingerprint,
            status=IN_PROGRESS,
            order_id=claim.order_id,
            owner=claim.owner,
            created_at=now,
            locked_until=locked_until,
        )
        .on_conflict_do_nothing(index_elements=[keys.key])
        .returning(keys.key)
    )
    return inserted.first() is not None


async def lock_key(session: AsyncSession, key: str) -> StoredKey | None:
    """The stored key, row-locked until commit; None if it was released meanwhile.

    The lock also waits for a transaction that is completing or releasing the key right
    now, so what it returns is settled.
    """
    row = (
        await session.execute(select(idempotency_keys).where(keys.key == key).with_for_update())
    ).one_or_none()
    if row is None:
        return None
    return StoredKey(
        fingerprint=row.request_hash,
        completed=row.status == COMPLETED,
        locked_until=row.locked_until,
        outcome=row.outcome,
        order_id=row.order_id,
        owner=row.owner,
        retryable=row.status == RETRYABLE,
    )


async def take_over(
    session: AsyncSession, key: str, *, owner: str, order_id: str, locked_until: datetime
) -> str:
    """Make `owner` the claim's owner; return the claim's order id (kept if it had one)."""
    taken = await session.execute(
        update(idempotency_keys)
        .where(keys.key == key)
        .values(
            owner=owner,
            order_id=func.coalesce(keys.order_id, order_id),
            locked_until=locked_until,
        )
        .returning(keys.order_id)
    )
    return str(taken.scalar_one())


async def reclaim(
    session: AsyncSession, key: str, *, owner: str, order_id: str, locked_until: datetime
) -> None:
    """Claim a RETRYABLE key (locked by the caller) for a new attempt under `order_id`."""
    await session.execute(
        update(idempotency_keys)
        .where(keys.key == key, keys.status == RETRYABLE)
        .values(status=IN_PROGRESS, owner=owner, order_id=order_id, locked_until=locked_until)
    )


async def release_for_retry(session: AsyncSession, claim: Claim, *, order_id: str) -> bool:
    """After a transient failure: keep the key RETRYABLE, naming the order its retry will
    supersede; False if the claim is no longer this owner's."""
    released = await session.execute(
        update(idempotency_keys)
        .where(keys.key == claim.key, keys.owner == claim.owner, keys.status == IN_PROGRESS)
        .values(status=RETRYABLE, owner=None, order_id=order_id)
        .returning(keys.key)
    )
    return released.first() is not None


async def complete_key(session: AsyncSession, claim: Claim, outcome: dict[str, Any]) -> bool:
    """Keep the outcome; False (nothing written) if the claim is no longer this owner's."""
    completed = await session.execute(
        update(idempotency_keys)
        .where(keys.key == claim.key, keys.owner == claim.owner, keys.status == IN_PROGRESS)
        .values(status=COMPLETED, outcome=outcome)
        .returning(keys.key)
    )
    return completed.first() is not None


async def delete_key(session: AsyncSession, claim: Claim) -> bool:
    """Forget the claim's IN_PROGRESS key (a completed one is kept: it answers replays);
    False if the claim is no longer this owner's."""
    deleted = await session.execute(
        delete(idempotency_keys)
        .where(keys.key == claim.key, keys.owner == claim.owner, keys.status == IN_PROGRESS)
        .returning(keys.key)
    )
    return deleted.first() is not None

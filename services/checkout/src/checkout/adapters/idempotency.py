"""Idempotency keys: claim, complete, release, in the caller's session.

A claim is an INSERT ... ON CONFLICT DO NOTHING committed before any downstream call, so
of two racing identical requests exactly one runs; the other sees IN_PROGRESS. A claim
whose `locked_until` has passed belongs to a crashed process and may be taken over.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from checkout.adapters.tables import idempotency_keys
from checkout.application.ports import (
    Claim,
    Claimed,
    InProgress,
    KeyReused,
    Replay,
    StoredResponse,
)

IN_PROGRESS = "IN_PROGRESS"
COMPLETED = "COMPLETED"


async def claim(
    session: AsyncSession, key: str, fingerprint: str, *, now: datetime, lock: timedelta
) -> Claim:
    inserted = await session.execute(
        insert(idempotency_keys)
        .values(
            key=key,
            request_hash=fingerprint,
            status=IN_PROGRESS,
            created_at=now,
            locked_until=now + lock,
        )
        .on_conflict_do_nothing(index_elements=[idempotency_keys.c.key])
        .returning(idempotency_keys.c.key)
    )
    if inserted.first() is not None:
        return Claimed()
    row = (
        await session.execute(
            select(idempotency_keys).where(idempotency_keys.c.key == key).with_for_update()
        )
    ).one_or_none()
    if row is None:
        # Released between our INSERT and SELECT: the client raced its own retry.
        return InProgress()
    if row.request_hash != fingerprint:
        return KeyReused()
    if row.status == COMPLETED:
        return Replay(StoredResponse(row.response_status, row.response_body))
    if row.locked_until > now:
        return InProgress()
    await session.execute(
        update(idempotency_keys)
        .where(idempotency_keys.c.key == key)
        .values(locked_until=now + lock)
    )
    return Claimed()


async def complete(
    session: AsyncSession, key: str, order_id: str, response: StoredResponse
) -> None:
    await session.execute(
        update(idempotency_keys)
        .where(idempotency_keys.c.key == key)
        .values(
            status=COMPLETED,
            order_id=order_id,
            response_status=response.status,
            response_body=response.body,
        )
    )


async def release(session: AsyncSession, key: str) -> None:
    await session.execute(
        delete(idempotency_keys).where(
            idempotency_keys.c.key == key, idempotency_keys.c.status == IN_PROGRESS
        )
    )

"""An Idempotency-Key claimed before a checkout runs, and released when it must run again.

    answer = await claim_key(sessions, "key-1", fingerprint, now=now, lock=timedelta(seconds=30))
    if answer is None: ...       # the key is ours: run the checkout

Each function is one transaction of its own: the claim is committed before any call goes
out, so of two racing identical requests exactly one runs.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from checkout.adapters import idempotency
from checkout.application.outcomes import InProgress, KeyReused, Replayed, outcome_from
from checkout.domain.idempotency import KeyAnswer, answer_for


async def claim_key(
    sessions: async_sessionmaker[AsyncSession],
    key: str,
    fingerprint: str,
    *,
    now: datetime,
    lock: timedelta,
) -> Replayed | InProgress | KeyReused | None:
    """None when the key is ours; otherwise the answer the request gets without running."""
    async with sessions.begin() as session:
        if await idempotency.insert_key(
            session, key, fingerprint, now=now, locked_until=now + lock
        ):
            return None
        stored = await idempotency.lock_key(session, key)
        if stored is None:
            # Released between our INSERT and SELECT: the client raced its own retry.
            return InProgress()
        match answer_for(stored, fingerprint=fingerprint, now=now):
            case KeyAnswer.REUSED:
                return KeyReused()
            case KeyAnswer.REPLAY:
                assert stored.outcome is not None  # a completed key always keeps one
                return Replayed(outcome_from(stored.outcome))
            case KeyAnswer.IN_PROGRESS:
                return InProgress()
        await idempotency.extend_lock(session, key, locked_until=now + lock)
        return None


async def release_key(sessions: async_sessionmaker[AsyncSession], key: str) -> None:
    """Forget a key whose checkout stored nothing, so a retry with it runs again."""
    async with sessions.begin() as session:
        await idempotency.delete_key(session, key)

"""The SQL of idempotency key expiry: delete a batch of COMPLETED (or RETRYABLE: released
after a transient failure, never retried) keys created before a time.

In-progress keys are left alone: their own lock decides when they may be taken over.
"""

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from checkout.adapters.tables import idempotency_keys

SETTLED = ("COMPLETED", "RETRYABLE")


async def delete_keys_created_before(session: AsyncSession, before: datetime, limit: int) -> int:
    t = idempotency_keys
    batch = (
        select(t.c.key)
        .where(t.c.created_at < before, t.c.status.in_(SETTLED))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    result = await session.execute(delete(t).where(t.c.key.in_(batch.scalar_subquery())))
    return int(getattr(result, "rowcount", 0) or 0)

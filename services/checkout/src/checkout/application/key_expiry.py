"""Idempotency keys expire: a key answers replays for `ttl` (24 h by default), then the
worker's `purge_expired_keys` loop deletes it, and the same key may start a new checkout.

Why: a key kept forever is a table that only grows, and a reply that a client may not
need after a day; the customer scoping (entrypoints/api/routes.py `scoped_key`) is what
keeps one customer's key from touching another's.
"""

from datetime import timedelta

from shop_servicekit import Clock
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from checkout.adapters.key_expiry import delete_keys_created_before


async def purge_expired_keys(
    sessions: async_sessionmaker[AsyncSession], *, ttl: timedelta, clock: Clock, limit: int
) -> int:
    """Delete up to `limit` settled keys (completed, or released for a retry that never
    came) older than `ttl`; how many went."""
    now = clock()
    async with sessions.begin() as session:
        return await delete_keys_created_before(session, now - ttl, limit)

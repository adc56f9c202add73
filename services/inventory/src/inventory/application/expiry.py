"""Use case: release every hold whose TTL has run out (the worker's sweep).

`FOR UPDATE SKIP LOCKED` lets several workers sweep at once without releasing a hold twice
or waiting on each other; a hold being released by a request right now is simply skipped.
"""

from shop_messaging import Outbox
from shop_servicekit import Clock
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from inventory.adapters import repository
from inventory.application.reservations import end_holds
from inventory.domain.reservations import expire


async def expire_reservations(
    sessions: async_sessionmaker[AsyncSession], outbox: Outbox, *, clock: Clock, limit: int
) -> int:
    """Expire up to `limit` overdue holds in one transaction; return how many."""
    now = clock()
    async with sessions.begin() as session:
        overdue = await repository.lock_expired(session, now, limit)
        await end_holds(session, outbox, [expire(reservation, now=now) for reservation in overdue])
        return len(overdue)

"""The one way time enters a service: a `Clock` passed in, read by application code.

    from shop_servicekit import Clock, utc_now

    async def expire_holds(sessions, *, clock: Clock) -> int:
        now = clock()                       # read once per use case ...
        return await repository.expire(session, now=now)   # ... and passed down as a value

Bootstrap passes `utc_now`; tests pass a fixed or stepping clock. Domain code never reads
the clock: it receives `now: datetime` values, so its rules stay pure.
"""

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time, timezone-aware, in UTC (the only timezone stored or sent)."""
    return datetime.now(UTC)

"""The service's own PostgreSQL: one async engine and a session factory per process.

    db = Database(settings.database_url)
    async with db.sessions.begin() as session:   # one transaction: commit or roll back
        session.add(row)
    await db.dispose()

Built in the service's bootstrap, never at import time, so tests can point it anywhere.

Broken connections are handled optimistically, not with a ping before every checkout
(`pool_pre_ping` costs a round trip per transaction, a large share of a checkout's CPU):
a transaction that meets a dead connection fails once, SQLAlchemy then invalidates every
pooled connection older than that moment, and the next checkouts connect afresh (the
readiness probe's `ping` does the same when idle). `pool_recycle` bounds a connection's age
so one silently dropped by a proxy or firewall is replaced before it is used.
"""

from sqlalchemy import text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

RECYCLE_SECONDS = 300


class Database:
    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        self.engine: AsyncEngine = create_async_engine(
            url, pool_size=pool_size, max_overflow=pool_size, pool_recycle=RECYCLE_SECONDS
        )
        self.sessions: async_sessionmaker[AsyncSession] = async_sessionmaker(
            self.engine, expire_on_commit=False
        )

    async def ping(self) -> None:
        """Raise unless the database answers a query (used by readiness)."""
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()

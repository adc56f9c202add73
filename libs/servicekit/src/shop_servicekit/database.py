"""The service's own PostgreSQL: one async engine and a session factory per process.

    db = Database(settings.database_url)
    async with db.sessions.begin() as session:   # one transaction: commit or roll back
        session.add(row)
    await db.dispose()

Built in the service's bootstrap, never at import time, so tests can point it anywhere.

Every connection is pinged as it leaves the pool (`pool_pre_ping`): after a database
restart, the pooled connections are all dead, and without the ping each would fail one
request before the pool noticed (a 503 to a customer, a retry for a consumer). The ping is
one short round trip per transaction; it was measured and kept, because a restart that no
client notices is worth more than that. `pool_recycle` bounds a connection's age so one
silently dropped by a proxy or firewall is replaced before it is used.
"""

from sqlalchemy import text
from sqlalchemy.ext import asyncio as sqlalchemy_asyncio
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

RECYCLE_SECONDS = 300


class Database:
    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        # hide_parameters: a failed statement's error (in a log line, in a dead letter's error
        # header) names the SQL, never the values bound to it (an email, an address).
        # Looked up at call time: the OpenTelemetry SQLAlchemy instrumentation (when traces
        # are exported) wraps the module's function to give every statement a span.
        self.engine: AsyncEngine = sqlalchemy_asyncio.create_async_engine(
            url,
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_pre_ping=True,
            pool_recycle=RECYCLE_SECONDS,
            hide_parameters=True,
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

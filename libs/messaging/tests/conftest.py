"""Fixtures for the messaging tests: a fresh database per test, the session's broker.

`kafka_bootstrap_servers` and `database_factory` come from the `shop_testing` plugin.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any, TypeVar

import pytest
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
from shop_messaging import create_messaging_tables
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

T = TypeVar("T")

# A table standing for a service's own state, written by handlers in the inbox transaction.
effects_metadata = sa.MetaData()
effects = sa.Table(
    "effects",
    effects_metadata,
    sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
    sa.Column("event_id", sa.String(64), nullable=False),
    sa.Column("note", sa.Text, nullable=True),
)


@pytest.fixture
def database_url(database_factory: Any) -> Iterator[str]:
    name = f"messaging_{uuid.uuid4().hex[:12]}"
    url: str = database_factory.create(name)
    yield url.replace("postgresql://", "postgresql+asyncpg://", 1)
    database_factory.drop(name)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(database_url, pool_size=10)

    def migrate(conn: sa.Connection) -> None:
        # The same one-liner a service's first migration calls.
        create_messaging_tables(Operations(MigrationContext.configure(conn)))
        effects_metadata.create_all(conn)

    async with engine.begin() as conn:
        await conn.run_sync(migrate)
    yield engine
    await engine.dispose()


@pytest.fixture
def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)

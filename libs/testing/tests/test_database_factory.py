"""Per-test databases copied from a migrated template keep its tables and come fast."""

from __future__ import annotations

import time

import asyncpg
import pytest
from shop_testing.databases import DatabaseFactory, unique_name


async def _tables(url: str) -> set[str]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return {r["tablename"] for r in rows}
    finally:
        await conn.close()


async def test_database_from_template_contains_the_template_tables(
    database_factory: DatabaseFactory,
) -> None:
    template = unique_name("tpl")
    conn = await asyncpg.connect(await database_factory.acreate(template))
    await conn.execute("CREATE TABLE orders (id int primary key); INSERT INTO orders VALUES (1)")
    # Left open on purpose: the factory must cope with a lingering template session.

    started = time.monotonic()
    copy = database_factory.create(unique_name("copy"), template=template)
    elapsed = time.monotonic() - started

    assert await _tables(copy) == {"orders"}
    assert elapsed < 1.0
    await conn.close()


def test_dropped_database_is_gone_even_with_open_connections(
    database_factory: DatabaseFactory,
) -> None:
    name = unique_name("gone")
    database_factory.create(name)
    database_factory.drop(name)
    assert name not in database_factory.created


def test_unsafe_database_names_are_refused(database_factory: DatabaseFactory) -> None:
    with pytest.raises(ValueError, match="not a safe database name"):
        database_factory.create('x"; DROP DATABASE postgres; --')

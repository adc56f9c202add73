import asyncio
from pathlib import Path

import asyncpg
from shop_servicekit.migrations import downgrade, upgrade
from shop_testing.migrated import DatabaseFactory, asyncpg_url
from shop_testing.ports import free_port

INI = Path(__file__).parent / "sample_migrations" / "alembic.ini"


def tables(url: str) -> set[str]:
    async def query() -> set[str]:
        connection = await asyncpg.connect(url)
        try:
            rows = await connection.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            )
        finally:
            await connection.close()
        return {row["tablename"] for row in rows}

    return asyncio.run(query())


def test_migrations_run_on_an_empty_database_and_are_safe_to_repeat(
    database_factory: DatabaseFactory,
) -> None:
    url = database_factory.create(f"servicekit_migrations_{free_port()}")
    assert tables(url) == set()

    upgrade(INI, asyncpg_url(url))
    assert tables(url) == {"alembic_version", "widgets"}

    upgrade(INI, asyncpg_url(url))  # already at head: nothing to do, no error
    downgrade(INI, asyncpg_url(url))
    assert tables(url) == {"alembic_version"}

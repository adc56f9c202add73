import asyncio
from pathlib import Path

import asyncpg
import pytest
from shop_servicekit.migrations import downgrade, upgrade, upgrade_when_ready
from shop_testing.migrated import DatabaseFactory, asyncpg_url
from shop_testing.ports import free_port
from sqlalchemy.exc import OperationalError

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


def test_upgrade_when_ready_retries_then_gives_up_on_a_server_that_never_answers(
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/nothing"
    with pytest.raises((OSError, OperationalError)):
        upgrade_when_ready(INI, url, within=1.0, interval=0.2)
    assert "database not answering yet, retrying" in caplog.text


def test_upgrade_when_ready_migrates_a_database_that_answers(
    database_factory: DatabaseFactory,
) -> None:
    url = database_factory.create(f"servicekit_when_ready_{free_port()}")
    upgrade_when_ready(INI, asyncpg_url(url), within=5.0)
    assert tables(url) == {"alembic_version", "widgets"}

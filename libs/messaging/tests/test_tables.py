import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
from shop_messaging import (
    add_messaging_tables,
    create_retention_indexes,
    drop_messaging_tables,
    drop_retention_indexes,
)
from sqlalchemy.ext.asyncio import AsyncEngine


async def test_metadata_and_migration_define_the_same_tables(engine: AsyncEngine) -> None:
    metadata = sa.MetaData()
    tables = add_messaging_tables(metadata)

    def inspect(conn: sa.Connection) -> dict[str, set[str]]:
        inspector = sa.inspect(conn)
        return {
            name: {c["name"] for c in inspector.get_columns(name)} for name in ("outbox", "inbox")
        }

    def indexes(conn: sa.Connection) -> set[str]:
        inspector = sa.inspect(conn)
        return {
            ix["name"] or "" for name in ("outbox", "inbox") for ix in inspector.get_indexes(name)
        }

    async with engine.connect() as conn:
        migrated = await conn.run_sync(inspect)
        # The relay's scan, and the retention purge's two lookups.
        assert await conn.run_sync(indexes) >= {
            "ix_outbox_unpublished",
            "ix_outbox_published_at",
            "ix_inbox_handled_at",
        }
    assert migrated == {name: set(t.c.keys()) for name, t in tables._asdict().items()}
    assert migrated["outbox"] >= {"id", "event_id", "published_at", "headers", "payload"}


async def test_downgrade_drops_both_tables(engine: AsyncEngine) -> None:
    def downgrade(conn: sa.Connection) -> list[str]:
        drop_messaging_tables(Operations(MigrationContext.configure(conn)))
        return sa.inspect(conn).get_table_names()

    async with engine.begin() as conn:
        assert set(await conn.run_sync(downgrade)) == {"effects"}


async def test_the_retention_indexes_migration_runs_on_old_and_new_databases(
    engine: AsyncEngine,
) -> None:
    """A service's migration that adds them runs on a database that has them (created by
    today's `create_messaging_tables`) and on one that predates them."""

    def retention_indexes(conn: sa.Connection) -> set[str]:
        inspector = sa.inspect(conn)
        found = {ix["name"] for name in ("outbox", "inbox") for ix in inspector.get_indexes(name)}
        return found & {"ix_outbox_published_at", "ix_inbox_handled_at"}

    def migrate(conn: sa.Connection, step: object) -> set[str]:
        step(Operations(MigrationContext.configure(conn)))  # type: ignore[operator]
        return retention_indexes(conn)

    async with engine.begin() as conn:
        assert await conn.run_sync(migrate, create_retention_indexes) == {
            "ix_outbox_published_at",
            "ix_inbox_handled_at",
        }
        assert await conn.run_sync(migrate, drop_retention_indexes) == set()
        assert len(await conn.run_sync(migrate, create_retention_indexes)) == 2

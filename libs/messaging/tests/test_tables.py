import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
from shop_messaging import add_messaging_tables, drop_messaging_tables
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
        return {ix["name"] or "" for ix in sa.inspect(conn).get_indexes("outbox")}

    async with engine.connect() as conn:
        migrated = await conn.run_sync(inspect)
        assert "ix_outbox_unpublished" in await conn.run_sync(indexes)
    assert migrated == {name: set(t.c.keys()) for name, t in tables._asdict().items()}
    assert migrated["outbox"] >= {"id", "event_id", "published_at", "headers", "payload"}


async def test_downgrade_drops_both_tables(engine: AsyncEngine) -> None:
    def downgrade(conn: sa.Connection) -> list[str]:
        drop_messaging_tables(Operations(MigrationContext.configure(conn)))
        return sa.inspect(conn).get_table_names()

    async with engine.begin() as conn:
        assert set(await conn.run_sync(downgrade)) == {"effects"}

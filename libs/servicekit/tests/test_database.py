"""A pooled connection whose backend died (a database restart, an administrator) is
replaced as it leaves the pool: no transaction fails for it."""

from shop_servicekit import Database
from shop_testing.migrated import DatabaseFactory, asyncpg_url
from shop_testing.ports import free_port
from sqlalchemy import text


async def test_a_terminated_connection_is_replaced_before_any_transaction_meets_it(
    database_factory: DatabaseFactory,
) -> None:
    db = Database(asyncpg_url(database_factory.create(f"servicekit_db_{free_port()}")), pool_size=1)
    try:
        async with db.sessions() as session:
            pid = await session.scalar(text("SELECT pg_backend_pid()"))
        # Another connection (not from the pool) ends the pooled one's backend, as a
        # database restart or an administrator would; waits until that backend is gone.
        killer = Database(db.engine.url.render_as_string(hide_password=False), pool_size=1)
        async with killer.sessions() as session:
            await session.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid})
        await killer.dispose()

        async with db.sessions() as session:
            assert await session.scalar(text("SELECT pg_backend_pid()")) != pid
    finally:
        await db.dispose()

"""Alembic, driven from code: `upgrade(...)` for the runner and tests, `run_env(...)` for env.py.

# services/pricing/src/pricing/migrations/env.py (shipped inside the package)
from shop_servicekit.migrations import run_env
from pricing.adapters.tables import metadata
run_env(metadata)

# anywhere (not inside a running event loop: env.py runs its own)
upgrade(pricing.bootstrap.ALEMBIC_INI, "postgresql+asyncpg://...")
upgrade_when_ready(pricing.bootstrap.ALEMBIC_INI, url, within=60)  # `migrate` in a container
"""

import asyncio
import logging
import time
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import create_async_engine

log = logging.getLogger(__name__)


def alembic_config(ini_path: Path, database_url: str) -> Config:
    config = Config(str(ini_path))
    config.set_main_option("script_location", str(ini_path.parent / "migrations"))
    # ConfigParser interpolation treats % specially; escape it in passwords.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(ini_path: Path, database_url: str, revision: str = "head") -> None:
    """Bring the database to `revision`; safe to repeat."""
    command.upgrade(alembic_config(ini_path, database_url), revision)


def upgrade_when_ready(
    ini_path: Path, database_url: str, within: float = 60.0, interval: float = 1.0
) -> None:
    """`upgrade`, retried while the server does not answer yet (a container starting next
    to its database); any other error, and silence past `within` seconds, is raised."""
    deadline = time.monotonic() + within
    while True:
        try:
            upgrade(ini_path, database_url)
            return
        except (OSError, OperationalError) as error:
            if time.monotonic() + interval > deadline:
                raise
            log.warning("database not answering yet, retrying: %s", error)
            time.sleep(interval)


def downgrade(ini_path: Path, database_url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(ini_path, database_url), revision)


def _migrate(connection: Connection, metadata: MetaData) -> None:
    context.configure(connection=connection, target_metadata=metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


async def _run_online(metadata: MetaData) -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url is set by alembic_config()"
    engine = create_async_engine(url, poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_migrate, metadata)
    finally:
        await engine.dispose()


def run_env(metadata: MetaData) -> None:
    """The whole of a service's migrations/env.py: online migrations over asyncpg."""
    if context.is_offline_mode():
        context.configure(url=context.config.get_main_option("sqlalchemy.url"), literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    asyncio.run(_run_online(metadata))

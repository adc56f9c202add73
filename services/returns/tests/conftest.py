from collections.abc import AsyncIterator

import httpx
import pytest
from returns.bootstrap import ALEMBIC_INI, build_app
from returns.settings import ReturnsSettings
from shop_servicekit import Database
from shop_testing.apps import app_client
from shop_testing.migrated import DatabaseFactory, MigratedDatabases


@pytest.fixture(scope="session")
def returns_databases(database_factory: DatabaseFactory) -> MigratedDatabases:
    return MigratedDatabases(database_factory, ALEMBIC_INI, prefix="returns")


@pytest.fixture
def settings(returns_databases: MigratedDatabases) -> ReturnsSettings:
    return ReturnsSettings(database_url=returns_databases.create())


@pytest.fixture
async def client(settings: ReturnsSettings) -> AsyncIterator[httpx.AsyncClient]:
    app = build_app(settings)
    async with app_client(app, "http://returns") as client:
        yield client


@pytest.fixture
async def db(settings: ReturnsSettings) -> AsyncIterator[Database]:
    database = Database(settings.database_url, pool_size=2)
    yield database
    await database.dispose()

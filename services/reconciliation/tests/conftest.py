from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
from reconciliation.bootstrap import ALEMBIC_INI, build_app
from reconciliation.settings import ReconciliationSettings
from shop_servicekit import Database
from shop_testing.apps import app_client
from shop_testing.migrated import DatabaseFactory, MigratedDatabases


@pytest.fixture(scope="session")
def reconciliation_databases(database_factory: DatabaseFactory) -> MigratedDatabases:
    return MigratedDatabases(database_factory, ALEMBIC_INI, prefix="reconciliation")


@pytest.fixture
def settings(reconciliation_databases: MigratedDatabases) -> ReconciliationSettings:
    return ReconciliationSettings(database_url=reconciliation_databases.create())


@pytest.fixture
async def db(settings: ReconciliationSettings) -> AsyncIterator[Database]:
    database = Database(settings.database_url, pool_size=2)
    yield database
    await database.dispose()


@pytest.fixture
def now() -> datetime:
    """The API's clock in these tests: deadlines are judged against it, not the wall clock."""
    return datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


@pytest.fixture
async def client(
    settings: ReconciliationSettings, now: datetime
) -> AsyncIterator[httpx.AsyncClient]:
    app = build_app(settings, clock=lambda: now)
    async with app_client(app, "http://reconciliation") as c:
        yield c

from collections.abc import AsyncIterator

import httpx
import pytest
from pricing.bootstrap import ALEMBIC_INI, build_app
from pricing.settings import PricingSettings
from shop_testing.apps import app_client
from shop_testing.migrated import DatabaseFactory, MigratedDatabases


@pytest.fixture(scope="session")
def pricing_databases(database_factory: DatabaseFactory) -> MigratedDatabases:
    return MigratedDatabases(database_factory, ALEMBIC_INI, prefix="pricing")


@pytest.fixture
def settings(pricing_databases: MigratedDatabases) -> PricingSettings:
    return PricingSettings(database_url=pricing_databases.create())


@pytest.fixture
async def client(settings: PricingSettings) -> AsyncIterator[httpx.AsyncClient]:
    app = build_app(settings)
    async with app_client(app, "http://pricing") as client:
        yield client

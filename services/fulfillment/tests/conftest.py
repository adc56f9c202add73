from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from fulfillment.bootstrap import ALEMBIC_INI, build_app
from fulfillment.entrypoints.worker import GROUP
from fulfillment.settings import FulfillmentSettings
from shop_contracts import CloudEvent
from shop_messaging import Handler
from shop_servicekit import Database
from shop_testing.apps import app_client, deliver_event
from shop_testing.migrated import DatabaseFactory, MigratedDatabases

Deliver = Callable[[Handler, CloudEvent[Any]], Awaitable[bool]]


@pytest.fixture(scope="session")
def fulfillment_databases(database_factory: DatabaseFactory) -> MigratedDatabases:
    return MigratedDatabases(database_factory, ALEMBIC_INI, prefix="fulfillment")


@pytest.fixture
def settings(fulfillment_databases: MigratedDatabases) -> FulfillmentSettings:
    return FulfillmentSettings(database_url=fulfillment_databases.create())


@pytest.fixture
async def db(settings: FulfillmentSettings) -> AsyncIterator[Database]:
    """The test's own handle on the service's database, to arrange rows the API reads."""
    database = Database(settings.database_url, pool_size=1)
    yield database
    await database.dispose()


@pytest.fixture
async def client(settings: FulfillmentSettings) -> AsyncIterator[httpx.AsyncClient]:
    app = build_app(settings)
    async with app_client(app, "http://fulfillment") as client:
        yield client


@pytest.fixture
def deliver(db: Database) -> Deliver:
    """Deliver an event the way the consumer runner does: inbox claim and handler in one
    transaction. Returns False when the inbox had already seen the event id."""

    async def run(handler: Handler, event: CloudEvent[Any]) -> bool:
        return await deliver_event(db.sessions, GROUP, handler, event)

    return run

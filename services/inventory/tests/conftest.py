from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from inventory.bootstrap import ALEMBIC_INI, build_app
from inventory.entrypoints.worker import GROUP
from inventory.settings import InventorySettings
from shop_contracts import CloudEvent
from shop_messaging import Handler
from shop_servicekit import Database
from shop_testing.apps import app_client, deliver_event
from shop_testing.migrated import DatabaseFactory, MigratedDatabases
from sqlalchemy import text

Snapshot = Callable[[], Awaitable[dict[str, Any]]]
Deliver = Callable[[Handler, CloudEvent[Any]], Awaitable[bool]]


@pytest.fixture(scope="session")
def inventory_databases(database_factory: DatabaseFactory) -> MigratedDatabases:
    return MigratedDatabases(database_factory, ALEMBIC_INI, prefix="inventory")


@pytest.fixture
def settings(inventory_databases: MigratedDatabases) -> InventorySettings:
    return InventorySettings(database_url=inventory_databases.create())


@pytest.fixture
async def client(settings: InventorySettings) -> AsyncIterator[httpx.AsyncClient]:
    app = build_app(settings)
    async with app_client(app, "http://inventory") as client:
        yield client


@pytest.fixture
async def db(settings: InventorySettings) -> AsyncIterator[Database]:
    database = Database(settings.database_url, pool_size=2)
    yield database
    await database.dispose()


@pytest.fixture
def snapshot(db: Database) -> Snapshot:
    """Everything a rejected request must leave untouched: stock, holds and the outbox."""

    async def take() -> dict[str, Any]:
        async with db.sessions() as session:
            stock = (
                await session.execute(
                    text("SELECT sku, on_hand, reserved FROM stock_items ORDER BY sku")
                )
            ).all()
            holds = (
                await session.execute(text("SELECT id, status FROM reservations ORDER BY id"))
            ).all()
            events = await session.scalar(text("SELECT count(*) FROM outbox"))
        return {
            "stock": [tuple(r) for r in stock],
            "holds": [tuple(r) for r in holds],
            "events": events,
        }

    return take


@pytest.fixture
def deliver(db: Database) -> Deliver:
    """Deliver an event the way the consumer runner does: inbox claim and handler in one
    transaction. Returns False when the inbox had already seen the event id."""

    async def run(handler: Handler, event: CloudEvent[Any]) -> bool:
        return await deliver_event(db.sessions, GROUP, handler, event)

    return run

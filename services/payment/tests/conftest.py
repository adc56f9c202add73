from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from payment.bootstrap import ALEMBIC_INI, build_app
from payment.settings import PaymentSettings
from shop_servicekit import Database
from shop_testing.apps import app_client
from shop_testing.migrated import DatabaseFactory, MigratedDatabases
from sqlalchemy import text

Snapshot = Callable[[], Awaitable[dict[str, Any]]]


@pytest.fixture(scope="session")
def payment_databases(database_factory: DatabaseFactory) -> MigratedDatabases:
    return MigratedDatabases(database_factory, ALEMBIC_INI, prefix="payment")


@pytest.fixture
def settings(payment_databases: MigratedDatabases) -> PaymentSettings:
    return PaymentSettings(database_url=payment_databases.create())


@pytest.fixture
async def client(settings: PaymentSettings) -> AsyncIterator[httpx.AsyncClient]:
    app = build_app(settings)
    async with app_client(app, "http://payment") as client:
        yield client


@pytest.fixture
async def db(settings: PaymentSettings) -> AsyncIterator[Database]:
    database = Database(settings.database_url, pool_size=2)
    yield database
    await database.dispose()


@pytest.fixture
def snapshot(db: Database) -> Snapshot:
    """Everything a rejected request must leave untouched: authorizations and the outbox."""

    async def take() -> dict[str, Any]:
        async with db.sessions() as session:
            rows = (
                await session.execute(text("SELECT id, status FROM authorizations ORDER BY id"))
            ).all()
            events = await session.scalar(text("SELECT count(*) FROM outbox"))
        return {"authorizations": [tuple(r) for r in rows], "events": events}

    return take

from collections.abc import AsyncIterator, Iterator
from typing import Any

import asyncpg
import httpx
import pytest
from checkout.bootstrap import ALEMBIC_INI, build_app
from checkout.settings import CheckoutSettings
from shop_auth import ShopAuth
from shop_servicekit import Database
from shop_testing.apps import app_client
from shop_testing.databases import DatabaseFactory
from shop_testing.migrated import MigratedDatabases
from shop_testing.service_process import ServiceProcess, service_process

from .fakes import World, new_world


@pytest.fixture
def world() -> World:
    """Fakes of pricing, inventory and payment, sharing one journal of calls."""
    return new_world()


@pytest.fixture(scope="session")
def checkout_databases(database_factory: DatabaseFactory) -> MigratedDatabases:
    return MigratedDatabases(database_factory, ALEMBIC_INI, prefix="checkout")


@pytest.fixture
def database_url(checkout_databases: MigratedDatabases) -> str:
    # Synchronous: migrating runs its own event loop.
    return checkout_databases.create()


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    """A fresh migrated checkout database, for tests that need no other service."""
    db = Database(database_url, pool_size=4)
    yield db
    await db.dispose()


# The three dependencies run as real processes, once per session, each on its own fresh
# database. Tests share them, so they assert on differences (stock before and after) and
# use a fresh customer per checkout (payment's velocity rule counts per customer).
@pytest.fixture(scope="session")
def pricing_service(database_factory: DatabaseFactory) -> Iterator[ServiceProcess]:
    with service_process("pricing", database_factory) as service:
        yield service


@pytest.fixture(scope="session")
def inventory_service(database_factory: DatabaseFactory) -> Iterator[ServiceProcess]:
    with service_process("inventory", database_factory) as service:
        yield service


@pytest.fixture(scope="session")
def payment_service(database_factory: DatabaseFactory) -> Iterator[ServiceProcess]:
    with service_process("payment", database_factory) as service:
        yield service


@pytest.fixture
async def services(
    pricing_service: ServiceProcess,
    inventory_service: ServiceProcess,
    payment_service: ServiceProcess,
) -> AsyncIterator[dict[str, ServiceProcess]]:
    running = {
        "pricing": pricing_service,
        "inventory": inventory_service,
        "payment": payment_service,
    }
    yield running
    # Faults a test injected must not outlive it.
    async with httpx.AsyncClient() as client:
        for service in running.values():
            await client.delete(f"{service.url}/admin/faults", headers=service.admin_headers)


@pytest.fixture
def settings(
    checkout_databases: MigratedDatabases,
    services: dict[str, ServiceProcess],
    kafka_bootstrap_servers: str,
) -> CheckoutSettings:
    return CheckoutSettings(
        database_url=checkout_databases.create(),
        kafka_bootstrap_servers=kafka_bootstrap_servers,
        pricing_url=services["pricing"].url,
        inventory_url=services["inventory"].url,
        payment_url=services["payment"].url,
        checkout_budget_ms=2000,
        breaker_fail_max=3,
        breaker_reset_timeout_s=1.0,
        retry_attempts=1,
    )


@pytest.fixture
async def client(settings: CheckoutSettings) -> AsyncIterator[httpx.AsyncClient]:
    app = build_app(settings)
    async with app_client(app, "http://checkout") as client:
        yield client


@pytest.fixture
async def checkout_db(settings: CheckoutSettings) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(settings.database_url.replace("+asyncpg", ""))
    yield conn
    await conn.close()


class Shop:
    """What the coordination tests look at and poke, from the outside of each service."""

    def __init__(self, services: dict[str, ServiceProcess]) -> None:
        self.services = services
        urls = {name: service.url for name, service in services.items()}
        self.http = httpx.AsyncClient(timeout=10, auth=ShopAuth(urls))

    async def stock(self, sku: str) -> dict[str, int]:
        response = await self.http.get(f"{self.services['inventory'].url}/v1/stock/{sku}")
        assert response.status_code == 200, response.text
        stock: dict[str, int] = response.json()
        return stock

    async def authorization(self, authorization_id: str) -> dict[str, Any]:
        url = f"{self.services['payment'].url}/v1/authorizations/{authorization_id}"
        response = await self.http.get(url)
        assert response.status_code == 200, response.text
        found: dict[str, Any] = response.json()
        return found

    async def faults(self, service: str, **faults: Any) -> None:
        target = self.services[service]
        response = await self.http.put(
            f"{target.url}/admin/faults", json=faults, headers=target.admin_headers
        )
        assert response.status_code == 200, response.text

    async def clear_faults(self, service: str) -> None:
        target = self.services[service]
        await self.http.delete(f"{target.url}/admin/faults", headers=target.admin_headers)

    async def requests_served(self, service: str) -> float:
        """Every request the service answered outside health, metrics and admin."""
        response = await self.http.get(f"{self.services[service].url}/metrics")
        total = 0.0
        for line in response.text.splitlines():
            if line.startswith("http_requests_total{") and not any(
                f'route="{skip}' in line for skip in ("/health", "/metrics", "/admin")
            ):
                total += float(line.rsplit(" ", 1)[1])
        return total

    async def peek(self, service: str, sql: str, *args: Any) -> Any:
        """One value from a dependency's database: assertions only, never its code."""
        url = self.services[service].database_url.replace("+asyncpg", "")
        conn = await asyncpg.connect(url)
        try:
            return await conn.fetchval(sql, *args)
        finally:
            await conn.close()


@pytest.fixture
async def shop(services: dict[str, ServiceProcess]) -> AsyncIterator[Shop]:
    shop = Shop(services)
    yield shop
    await shop.http.aclose()

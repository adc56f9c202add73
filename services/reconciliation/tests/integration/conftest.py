from collections.abc import AsyncIterator

import httpx
import pytest
from reconciliation.bootstrap import build_app
from reconciliation.settings import ReconciliationSettings
from shop_testing.credentials import bearer
from shop_testing.migrated import MigratedDatabases

from .stubs import ShopStubs, serve


@pytest.fixture
def stubs() -> ShopStubs:
    return ShopStubs()


@pytest.fixture
async def stub_urls(stubs: ShopStubs) -> AsyncIterator[dict[str, str]]:
    async with serve(stubs) as urls:
        yield urls


@pytest.fixture
def job_settings(
    reconciliation_databases: MigratedDatabases, stub_urls: dict[str, str]
) -> ReconciliationSettings:
    """Reconciliation pointed at the stubs, on a fresh migrated database."""
    return ReconciliationSettings(
        database_url=reconciliation_databases.create(),
        read_retries=0,
        read_timeout_seconds=5,
        **{f"{service}_url": url for service, url in stub_urls.items()},
    )


@pytest.fixture
async def api(job_settings: ReconciliationSettings) -> AsyncIterator[httpx.AsyncClient]:
    app = build_app(job_settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport,
            base_url="http://reconciliation",
            headers=bearer("operator", "reconciliation"),
            timeout=30,
        ) as client:
            yield client

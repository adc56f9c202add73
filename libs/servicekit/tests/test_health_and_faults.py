from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter
from prometheus_client import CollectorRegistry
from pydantic_settings import SettingsConfigDict
from shop_servicekit import Database, ServiceSettings, create_app, kafka_check
from shop_testing.credentials import bearer
from shop_testing.migrated import DatabaseFactory, asyncpg_url
from shop_testing.ports import free_port

ADMIN = bearer("operator", "t")


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="T_")

    port: int = 9
    worker_port: int = 10
    database_url: str = "postgresql+asyncpg://unused"


async def client_for(database_url: str, bootstrap: str) -> httpx.AsyncClient:
    db = Database(database_url)
    router = APIRouter()

    @router.get("/v1/things")
    async def things() -> dict[str, str]:
        return {"ok": "yes"}

    app = create_app(
        Settings(),
        title="t",
        routers=[router],
        checks={"database": db.ping, "broker": kafka_check(bootstrap)},
        registry=CollectorRegistry(),
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


@pytest.fixture
async def healthy(
    database_factory: DatabaseFactory, kafka_bootstrap_servers: str
) -> AsyncIterator[httpx.AsyncClient]:
    url = asyncpg_url(database_factory.create(f"servicekit_health_{free_port()}"))
    async with await client_for(url, kafka_bootstrap_servers) as client:
        yield client


async def test_ready_lists_every_check_when_database_and_broker_answer(
    healthy: httpx.AsyncClient,
) -> None:
    response = await healthy.get("/health/ready")
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert checks["database"]["status"] == "up"
    assert checks["broker"]["status"] == "up"


async def test_ready_fails_with_the_reason_when_the_database_is_down(
    kafka_bootstrap_servers: str,
) -> None:
    nobody_listens = f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/gone"
    async with await client_for(nobody_listens, kafka_bootstrap_servers) as client:
        ready = await client.get("/health/ready")
        live = await client.get("/health/live")
    assert ready.status_code == 503
    assert ready.json()["checks"]["database"]["status"] == "down"
    assert ready.json()["checks"]["database"]["error"]
    assert ready.json()["checks"]["broker"]["status"] == "up"
    assert live.status_code == 200


async def test_metrics_count_requests_by_route_template(healthy: httpx.AsyncClient) -> None:
    await healthy.get("/v1/things")
    metrics = (await healthy.get("/metrics")).text
    assert 'http_requests_total{method="GET",route="/v1/things",status="200"} 1.0' in metrics


async def test_refuse_fault_fails_business_routes_but_never_health_or_admin(
    healthy: httpx.AsyncClient,
) -> None:
    assert (await healthy.put("/admin/faults", json={"refuse": True})).status_code == 401
    assert (
        await healthy.put("/admin/faults", json={"refuse": True}, headers=ADMIN)
    ).status_code == 200

    refused = await healthy.get("/v1/things")
    assert refused.status_code == 503
    assert refused.json()["type"].endswith("/fault-injected")
    assert (await healthy.get("/health/live")).status_code == 200

    assert (await healthy.delete("/admin/faults", headers=ADMIN)).status_code == 200
    assert (await healthy.get("/v1/things")).status_code == 200


async def test_error_rate_fault_fails_that_share_of_requests(healthy: httpx.AsyncClient) -> None:
    await healthy.put("/admin/faults", json={"error_rate": 1.0}, headers=ADMIN)
    assert (await healthy.get("/v1/things")).status_code == 500
    bad = await healthy.put("/admin/faults", json={"error_rate": 2}, headers=ADMIN)
    assert bad.status_code == 422

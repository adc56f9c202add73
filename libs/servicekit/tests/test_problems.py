import httpx
import pytest
from fastapi import APIRouter
from prometheus_client import CollectorRegistry
from pydantic import BaseModel, ConfigDict, Field
from shop_servicekit import PROBLEM_BASE, Problem, ServiceSettings, create_app
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine


class Settings(ServiceSettings):
    port: int = 9
    worker_port: int = 10
    database_url: str = "postgresql+asyncpg://unused"


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")
    quantity: int = Field(ge=1)


def app_with_routes() -> httpx.AsyncClient:
    router = APIRouter()

    @router.post("/things")
    async def make(body: Body) -> dict[str, int]:
        return {"quantity": body.quantity}

    @router.get("/conflict")
    async def conflict() -> None:
        raise Problem(409, "out-of-stock", "Not enough stock", skus=["SKU-1"])

    @router.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    @router.get("/stored")
    async def stored(host: str = "127.0.0.1:1") -> None:
        # A real engine whose server is not there: nothing listens on port 1 (refused), or
        # its name does not resolve (a stopped compose container's name is gone from DNS).
        engine = create_async_engine(f"postgresql+asyncpg://shop@{host}/shop")
        try:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        finally:
            await engine.dispose()

    app = create_app(
        Settings(), title="t", routers=[router], checks={}, registry=CollectorRegistry()
    )
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://t")


async def test_a_raised_problem_is_rfc9457_json_with_its_extra_members() -> None:
    async with app_with_routes() as client:
        response = await client.get("/conflict")
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": PROBLEM_BASE + "out-of-stock",
        "title": "Not enough stock",
        "status": 409,
        "instance": "/conflict",
        "skus": ["SKU-1"],
    }


async def test_validation_errors_are_problems_listing_each_field() -> None:
    async with app_with_routes() as client:
        response = await client.post("/things", json={"quantity": 0, "extra": 1})
    assert response.status_code == 422
    body = response.json()
    assert body["type"] == PROBLEM_BASE + "validation-error"
    assert {tuple(e["location"]) for e in body["errors"]} == {
        ("body", "quantity"),
        ("body", "extra"),
    }


async def test_unknown_routes_and_crashes_are_problems_too_and_hide_internals() -> None:
    async with app_with_routes() as client:
        missing = await client.get("/nowhere")
        crashed = await client.get("/boom")
    assert missing.status_code == 404
    assert missing.json()["type"] == PROBLEM_BASE + "not-found"
    assert crashed.status_code == 500
    assert crashed.headers["content-type"] == "application/problem+json"
    assert "secret internals" not in crashed.text


@pytest.mark.parametrize("host", ["127.0.0.1:1", "postgres.invalid:5432"])
async def test_an_unreachable_database_is_a_503_with_retry_after_not_a_500(host: str) -> None:
    async with app_with_routes() as client:
        answer = await client.get("/stored", params={"host": host})
    assert answer.status_code == 503
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["retry-after"] == "2"
    assert answer.json()["type"] == PROBLEM_BASE + "database-unavailable"


def test_settings_refuse_development_keys_outside_local() -> None:
    with pytest.raises(ValueError, match="signing_key"):
        Settings(environment="production")
    key = "A" * 43 + "="
    assert Settings(environment="production", signing_key=key).port == 9

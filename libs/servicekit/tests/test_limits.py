"""The request body limit (413) and the token buckets behind the rate limits (429)."""

from collections.abc import AsyncIterator

import httpx
from fastapi import APIRouter, Body, Depends, FastAPI
from prometheus_client import CollectorRegistry
from pydantic_settings import SettingsConfigDict
from shop_servicekit import (
    PUBLIC,
    ServiceSettings,
    TokenBuckets,
    create_app,
    limit_per_client,
)

PROBLEMS = "https://shop.example/problems/"


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="T_")

    port: int = 9
    worker_port: int = 10
    database_url: str = "postgresql+asyncpg://unused"
    max_body_bytes: int = 4096


def app_with(buckets: TokenBuckets) -> FastAPI:
    router = APIRouter(dependencies=[Depends(PUBLIC)])

    @router.post("/v1/echo", dependencies=[Depends(limit_per_client(buckets))])
    async def echo(body: dict[str, str] = Body()) -> dict[str, int]:  # noqa: B008
        return {"keys": len(body)}

    return create_app(
        Settings(), title="t", routers=[router], checks={}, registry=CollectorRegistry()
    )


def client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


async def test_a_body_over_the_limit_is_a_413_problem_declared_or_chunked() -> None:
    async with client(app_with(TokenBuckets(rate_per_minute=600, burst=100))) as api:
        small = await api.post("/v1/echo", json={"a": "b"})
        declared = await api.post("/v1/echo", json={"a": "x" * 5000})

        async def chunks() -> AsyncIterator[bytes]:
            yield b'{"a": "'
            for _ in range(10):
                yield b"x" * 1000
            yield b'"}'

        chunked = await api.post(
            "/v1/echo", content=chunks(), headers={"content-type": "application/json"}
        )
    assert small.status_code == 200
    for refused in (declared, chunked):
        assert refused.status_code == 413
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["type"] == PROBLEMS + "body-too-large"


async def test_a_small_chunked_body_still_reaches_the_route() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"a": '
        yield b'"b"}'

    async with client(app_with(TokenBuckets(rate_per_minute=600, burst=100))) as api:
        response = await api.post(
            "/v1/echo", content=chunks(), headers={"content-type": "application/json"}
        )
    assert (response.status_code, response.json()) == (200, {"keys": 1})


async def test_past_the_burst_a_client_gets_429_with_retry_after() -> None:
    async with client(app_with(TokenBuckets(rate_per_minute=6, burst=2))) as api:
        answers = [await api.post("/v1/echo", json={"a": "b"}) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[2].json()["type"] == PROBLEMS + "rate-limited"
    assert answers[2].headers["Retry-After"] == "10"  # one token every 10 s at 6 a minute


def test_buckets_refill_at_their_rate_and_keep_keys_apart() -> None:
    now = [0.0]
    buckets = TokenBuckets(rate_per_minute=60, burst=1, clock=lambda: now[0])
    assert buckets.wait_for("ada") == 0.0
    assert buckets.wait_for("ada") == 1.0  # one a second
    assert buckets.wait_for("grace") == 0.0  # her own bucket
    now[0] = 1.0
    assert buckets.wait_for("ada") == 0.0


def test_buckets_forget_the_least_recent_keys_past_their_bound() -> None:
    buckets = TokenBuckets(rate_per_minute=1, burst=1, max_keys=2, clock=lambda: 0.0)
    for key in ("a", "b", "c"):
        assert buckets.wait_for(key) == 0.0
    assert buckets.wait_for("a") == 0.0  # "a" was dropped: a fresh, full bucket

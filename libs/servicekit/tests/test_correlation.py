import io
import json
import logging
import re
from collections.abc import Iterator

import httpx
import pytest
from asgi_correlation_id import correlation_id
from fastapi import APIRouter
from prometheus_client import CollectorRegistry
from shop_http import Budget, Dependency, DependencyMetrics
from shop_servicekit import ServiceSettings, create_app
from shop_telemetry.logs import JsonFormatter

log = logging.getLogger("test_correlation")


class Settings(ServiceSettings):
    port: int = 9
    worker_port: int = 10
    database_url: str = "postgresql+asyncpg://unused"


def client() -> httpx.AsyncClient:
    router = APIRouter()

    @router.get("/seen")
    async def seen() -> dict[str, str | None]:
        log.info("handling /seen")
        return {"correlation_id": correlation_id.get()}

    app = create_app(
        Settings(), title="t", routers=[router], checks={}, registry=CollectorRegistry()
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """What this module's logger writes, through the JSON formatter every process uses."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("t"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        log.removeHandler(handler)


async def test_a_given_correlation_id_reaches_the_route_its_log_lines_and_the_response(
    log_lines: io.StringIO,
) -> None:
    async with client() as http:
        response = await http.get("/seen", headers={"X-Correlation-Id": "corr-e2e_1:a"})

    assert response.json() == {"correlation_id": "corr-e2e_1:a"}
    assert response.headers["x-correlation-id"] == "corr-e2e_1:a"
    [line] = [json.loads(text) for text in log_lines.getvalue().splitlines()]
    assert (line["message"], line["correlation_id"]) == ("handling /seen", "corr-e2e_1:a")


async def test_a_request_without_one_gets_a_minted_id_that_the_route_and_response_share() -> None:
    async with client() as http:
        first = await http.get("/seen")
        second = await http.get("/seen")

    minted = first.headers["x-correlation-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", minted)
    assert first.json() == {"correlation_id": minted}
    assert second.headers["x-correlation-id"] != minted


@pytest.mark.parametrize("garbage", ["has spaces", "x" * 129, "line\tbreak", "semi;colon"])
async def test_a_value_that_is_not_an_id_is_replaced_not_logged(garbage: str) -> None:
    async with client() as http:
        response = await http.get("/seen", headers={"X-Correlation-Id": garbage})

    replaced = response.headers["x-correlation-id"]
    assert replaced != garbage
    assert re.fullmatch(r"[0-9a-f]{32}", replaced)
    assert response.json() == {"correlation_id": replaced}


async def test_a_service_forwards_the_id_it_was_given_to_the_service_it_calls() -> None:
    """Two apps built by create_app, the first calling the second through shop_http."""
    downstream = client()
    dependency = Dependency(
        "downstream",
        downstream,
        fail_max=3,
        reset_timeout=1.0,
        retries=0,
        metrics=DependencyMetrics(CollectorRegistry()),
    )
    router = APIRouter()

    @router.get("/relay")
    async def relay() -> dict[str, str | None]:
        response = await dependency.request("GET", "/seen", budget=Budget(2.0), idempotent=True)
        answer: dict[str, str | None] = response.json()
        return answer

    upstream = create_app(
        Settings(), title="up", routers=[router], checks={}, registry=CollectorRegistry()
    )
    transport = httpx.ASGITransport(app=upstream)
    async with downstream, httpx.AsyncClient(transport=transport, base_url="http://up") as http:
        response = await http.get("/relay", headers={"X-Correlation-Id": "corr-chain"})

    assert response.json() == {"correlation_id": "corr-chain"}

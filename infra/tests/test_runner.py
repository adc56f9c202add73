"""The runner brings a topology up in order, rolls back on failure, and brings it down."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from shop_stack.health import http_ready
from shop_stack.paths import VarDirs
from shop_stack.runner import StackError, StackRunner
from shop_stack.spec import ProcessSpec
from shop_stack.supervisor import Supervisor
from shop_stack.topology import Topology
from shop_testing.ports import free_port

FAKE_PATH = str(Path(__file__).parent / "fakeshop_pkg")


def fake_topology(serve_command: str = "serve", migrate_exit: int = 0) -> Topology:
    port, worker_port = free_port(), free_port()
    env = {
        "PYTHONPATH": FAKE_PATH,
        "FAKESHOP_DATABASE_URL": "postgresql+asyncpg://postgres@127.0.0.1:1/shop_fakeshop",
        "FAKESHOP_PORT": str(port),
        "FAKESHOP_WORKER_PORT": str(worker_port),
        "FAKESHOP_MIGRATE_EXIT": str(migrate_exit),
    }
    run = (sys.executable, "-m", "fakeshop")

    def proc(name: str, command: str, p: int) -> ProcessSpec:
        url = f"http://127.0.0.1:{p}"
        ready = http_ready(f"{url}/health/ready")
        return ProcessSpec(name, (*run, command), env, (p,), url, ready)

    return Topology(
        infra=(),
        services=(
            proc("fakeshop-serve", serve_command, port),
            proc("fakeshop-work", "work", worker_port),
        ),
        migrations=(ProcessSpec("fakeshop-migrate", (*run, "migrate"), env),),
    )


@pytest.fixture
def sup(tmp_path: Path) -> Supervisor:
    return Supervisor(VarDirs(tmp_path / "var"))


async def test_up_migrates_then_starts_every_process_ready_and_down_stops_them(
    sup: Supervisor,
) -> None:
    runner = StackRunner(fake_topology(), sup, say=lambda _: None)

    await runner.up(within=20)

    assert "migrated" in sup.tail("fakeshop-migrate")
    assert all(sup.pid(s.name) for s in runner.topology.services)
    assert sorted(runner.down()) == ["fakeshop-serve", "fakeshop-work"]
    assert sup.names() == []


async def test_a_process_dying_at_start_fails_up_with_its_log_and_rolls_back(
    sup: Supervisor,
) -> None:
    runner = StackRunner(fake_topology(serve_command="crash"), sup, say=lambda _: None)

    with pytest.raises(StackError, match=r"fakeshop-serve exited with 3(.|\n)*boom"):
        await runner.up(within=20)

    assert sup.names() == []


async def test_a_failing_migration_stops_the_start(sup: Supervisor) -> None:
    runner = StackRunner(fake_topology(migrate_exit=1), sup, say=lambda _: None)

    with pytest.raises(StackError, match="fakeshop-migrate exited with 1"):
        await runner.up(within=20)

    assert sup.names() == []

"""The runner brings a topology up in order, rolls back on failure, and brings it down;
kept alive, it restarts what dies and leaves alone what was stopped or paused."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import psutil
import pytest
from shop_stack.health import http_ready
from shop_stack.paths import VarDirs
from shop_stack.runner import StackError, StackRunner
from shop_stack.spec import ProcessSpec
from shop_stack.supervisor import Supervisor
from shop_stack.topology import Topology
from shop_stack.watchdog import Watchdog
from shop_testing.eventually import eventually
from shop_testing.ports import free_ports

FAKE_PATH = str(Path(__file__).parent / "fakeshop_pkg")


def fake_topology(serve_command: str = "serve", migrate_exit: int = 0) -> Topology:
    port, worker_port = free_ports(2)
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


WORK = "fakeshop-work"


@pytest.fixture
def logged() -> list[str]:
    return []


@pytest.fixture
async def kept_alive(sup: Supervisor, logged: list[str]) -> AsyncIterator[Watchdog]:
    runner = StackRunner(fake_topology(), sup, say=logged.append)
    await runner.up(within=20)
    yield runner.keep_alive()
    runner.down()
    assert runner.watchdog is None


async def work_ready(sup: Supervisor) -> bool:
    pid = sup.pid(WORK)
    return pid is not None and await http_ready(_work_url(sup) + "/health/ready")()


def _work_url(sup: Supervisor) -> str:
    port = psutil.Process(sup.pid(WORK)).environ()["FAKESHOP_WORKER_PORT"]
    return f"http://127.0.0.1:{port}"


async def test_a_sigkilled_process_is_restarted_ready_and_the_restart_is_logged(
    sup: Supervisor, kept_alive: Watchdog, logged: list[str]
) -> None:
    killed = sup.pid(WORK)
    assert killed is not None

    os.kill(killed, signal.SIGKILL)

    await eventually(lambda: sup.pid(WORK) not in (None, killed), timeout=10)
    await eventually(lambda: work_ready(sup), timeout=10)
    assert kept_alive.restarts == {WORK: 1}
    assert f"stack: {WORK} exited with -9; restarting it in 0.5s" in logged
    await eventually(lambda: any(line.startswith(f"stack: {WORK} restarted") for line in logged))


async def test_a_process_stopped_on_purpose_stays_stopped(
    sup: Supervisor, kept_alive: Watchdog
) -> None:
    assert sup.stop(WORK)

    seen = kept_alive.polls
    await eventually(lambda: kept_alive.polls >= seen + 10, timeout=10)
    assert sup.pid(WORK) is None
    assert kept_alive.restarts == {}


async def test_a_paused_process_is_alive_and_left_alone(
    sup: Supervisor, kept_alive: Watchdog
) -> None:
    paused = sup.pid(WORK)
    assert paused is not None
    os.kill(paused, signal.SIGSTOP)
    try:
        seen = kept_alive.polls
        await eventually(lambda: kept_alive.polls >= seen + 10, timeout=10)
        assert psutil.Process(paused).status() == psutil.STATUS_STOPPED
        assert sup.pid(WORK) == paused
    finally:
        os.kill(paused, signal.SIGCONT)
    assert kept_alive.restarts == {}


def test_restarts_back_off_doubling_to_the_cap_and_reset_once_stable(sup: Supervisor) -> None:
    watchdog = Watchdog((), sup, cap=3.0, stable_after=10.0)

    assert [watchdog.delay("p", now=0.0) for _ in range(5)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    # Restarted at 100 s and up for 10 s since: the next death starts the sequence again.
    watchdog.started("p", now=100.0)
    assert watchdog.delay("p", now=110.0) == 0.5

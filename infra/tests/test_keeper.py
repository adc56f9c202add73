"""`python -m shop_stack up` in the background leaves a keeper that restarts what dies,
and `down` stops the keeper first, then the rest (the real CLI, on free ports)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from shop_stack.paths import VarDirs
from shop_stack.supervisor import Supervisor
from shop_testing.eventually import eventually
from shop_testing.ports import free_ports


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "shop_stack", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def stack_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The infrastructure only (broker and mail sink; no services, so no database)."""
    broker, smtp, smtp_http = free_ports(3)
    env = {
        "STACK_VAR_DIR": str(tmp_path / "var"),
        "STACK_SERVICES": "none",
        "STACK_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/unused",
        "STACK_BROKER_PORT": str(broker),
        "STACK_SMTP_PORT": str(smtp),
        "STACK_SMTP_HTTP_PORT": str(smtp_http),
    }
    yield env
    cli(env, "down")


async def test_a_background_stack_restarts_a_killed_process_and_down_stops_everything(
    stack_env: dict[str, str],
) -> None:
    up = cli(stack_env, "up", "--timeout", "60")
    assert up.returncode == 0, up.stdout + up.stderr
    assert "kept alive by pid" in up.stdout
    # Progress while it waits: each process as it starts and as it becomes ready.
    for name in ("broker", "smtp"):
        assert f"{name}: started (pid " in up.stdout, up.stdout
        assert f"{name}: ready at " in up.stdout, up.stdout
    sup = Supervisor(VarDirs(Path(stack_env["STACK_VAR_DIR"])))
    assert sup.pid("stack") is not None
    killed = sup.pid("smtp")
    assert killed is not None

    os.kill(killed, signal.SIGKILL)

    await eventually(lambda: sup.pid("smtp") not in (None, killed), timeout=15)
    log = sup.log_file("stack").read_text()
    assert "stack: smtp exited with -9; restarting it in 0.5s" in log
    status = cli(stack_env, "status")
    assert status.returncode == 0, status.stdout

    down = cli(stack_env, "down")
    assert down.returncode == 0, down.stderr
    assert down.stdout.startswith("stopped: stack"), down.stdout
    assert sup.names() == [], sup.names()

"""The supervisor starts and stops real processes, and never signals a stranger."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from shop_stack.paths import VarDirs
from shop_stack.spec import ProcessSpec
from shop_stack.supervisor import NotOurs, PortTaken, Supervisor
from shop_testing.ports import free_port

SLEEPER = (sys.executable, "-c", "import time; print('up', flush=True); time.sleep(60)")


def wait_for_output(sup: Supervisor, name: str, text: str) -> None:
    deadline = time.monotonic() + 10
    while text not in sup.tail(name):
        assert time.monotonic() < deadline, f"{name} never printed {text!r}"
        time.sleep(0.01)


@pytest.fixture
def sup(tmp_path: Path) -> Supervisor:
    return Supervisor(VarDirs(tmp_path / "var"))


def test_started_process_runs_with_pid_and_log_files_and_stops(sup: Supervisor) -> None:
    pid = sup.start(ProcessSpec("sleeper", SLEEPER))

    assert sup.pid("sleeper") == pid
    wait_for_output(sup, "sleeper", "up")
    assert sup.pid_file("sleeper").read_text().strip() == str(pid)
    assert sup.start(ProcessSpec("sleeper", SLEEPER)) == pid, "a second start is a no-op"
    assert sup.stop("sleeper", grace=5) is True
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    assert not sup.pid_file("sleeper").exists()
    assert sup.stop("sleeper") is False


def test_process_ignoring_sigterm_is_killed_after_the_grace_period(sup: Supervisor) -> None:
    stubborn = (sys.executable, "-c", "import signal, time; "
                "signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ok', flush=True); "
                "time.sleep(60)")  # fmt: skip
    sup.start(ProcessSpec("stubborn", stubborn))
    wait_for_output(sup, "stubborn", "ok")  # the handler is installed
    assert sup.stop("stubborn", grace=0.3) is True
    assert sup.pid("stubborn") is None


def test_refuses_to_stop_a_process_it_did_not_start(sup: Supervisor) -> None:
    stranger = subprocess.Popen([*SLEEPER])
    try:
        sup.start(ProcessSpec("victim", SLEEPER))
        sup.stop("victim")
        # The pid file now names a live process with another start time: pid reuse.
        sup.pid_file("victim").write_text(f"{stranger.pid}\n")
        sup.dirs.run.joinpath("victim.json").write_text(
            f'{{"argv": {list(SLEEPER)!r}, "create_time": 1.0}}'.replace("'", '"')
        )

        assert sup.pid("victim") is None
        with pytest.raises(NotOurs):
            sup.stop("victim")
        assert stranger.poll() is None
    finally:
        stranger.kill()
        stranger.wait()


def test_taken_port_is_reported_with_its_holder(sup: Supervisor) -> None:
    port = free_port()
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", port))
        holder.listen()
        with pytest.raises(PortTaken, match=f"port {port} is already in use by pid"):
            sup.start(ProcessSpec("web", SLEEPER, ports=(port,)))
    assert sup.pid("web") is None

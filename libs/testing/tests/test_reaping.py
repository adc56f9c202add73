"""A killed test session's servers are stopped by the next session."""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import psutil
from shop_stack.paths import VarDirs
from shop_stack.spec import ProcessSpec
from shop_stack.supervisor import Supervisor
from shop_testing.servers import OWNER_FILE, reap_orphans

SLEEPER = (sys.executable, "-c", "import time; time.sleep(60)")


def server_dir(prefix: str, owner_pid: int) -> tuple[Path, int]:
    root = Path(tempfile.mkdtemp(prefix=prefix))
    (root / OWNER_FILE).write_text(str(owner_pid))
    return root, Supervisor(VarDirs(root)).start(ProcessSpec("test-server", SLEEPER))


def dead_pid() -> int:
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    return finished.pid


def test_servers_of_a_dead_session_are_stopped_and_their_dir_removed() -> None:
    orphan_root, orphan = server_dir("shop-reap-test-", dead_pid())
    live_root, alive = server_dir("shop-reap-test-", psutil.Process().pid)
    try:
        reap_orphans("shop-reap-test-")

        assert not orphan_root.exists()
        assert not psutil.pid_exists(orphan) or psutil.Process(orphan).status() == "zombie"
        assert live_root.exists()
        assert psutil.pid_exists(alive)
    finally:
        Supervisor(VarDirs(live_root)).stop("test-server")
        shutil.rmtree(live_root, ignore_errors=True)

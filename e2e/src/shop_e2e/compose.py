"""Process control of a docker compose stack: ProcessControl's interface over
`docker compose kill|stop|start`, so the scenarios that stop, kill and restart processes
run against containers too.

    control = ComposeControl(["docker", "compose"])   # COMPOSE_FILE etc. from the env
    killed = control.kill("fulfillment-work")          # a crash; the restart policy revives it
    control.stop("broker")
    await control.start("broker")                      # healthy again, topics ensured

Process names are the compose services' (`checkout-work`, ...), except the embedded
stack's `broker` and `smtp`, which are `kafka` and `mailpit` here.

A kill is a crash, not an order: Docker's restart policy leaves alone a container stopped
or killed through its API (`docker kill` marks it as deliberately stopped), so with the
daemon on this machine the container's process gets SIGKILL from here, as the kernel's OOM
killer would send it, and `unless-stopped` brings it back. With a remote daemon only the
API is left: the kill goes through it and `restarts_dead_processes` says False.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

from shop_stack.health import wait_until
from shop_stack.spec import ReadinessCheck

SERVICES = {"broker": "kafka", "smtp": "mailpit"}
TOPICS_JOB = "kafka-topics"
COMMAND_SECONDS = 120
# A container starts a fresh Python (imports and all) where the embedded runner's 60 s
# suffice; on a loaded 2-core runner that takes longer.
START_SECONDS = 180.0


class ComposeControl:
    def __init__(self, compose: Sequence[str]) -> None:
        self._compose = list(compose)

    def _run(self, *args: str) -> str:
        result = subprocess.run(
            [*self._compose, *args],
            capture_output=True,
            text=True,
            timeout=COMMAND_SECONDS,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"docker compose {' '.join(args)} failed:\n{result.stderr}")
        return result.stdout

    def _docker(self, *args: str) -> str:
        result = subprocess.run(
            ["docker", *args], capture_output=True, text=True, timeout=COMMAND_SECONDS, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(f"docker {' '.join(args)} failed:\n{result.stderr}")
        return result.stdout

    def _container(self, name: str) -> str:
        """The service's container id, "" when it has none."""
        found = self._run("ps", "--all", "--quiet", SERVICES.get(name, name)).split()
        return found[0] if found else ""

    def _state(self, name: str) -> tuple[str, int, str]:
        """(status, pid, health) of the service's container; pid 0 when not running."""
        container = self._container(name)
        if not container:
            return ("missing", 0, "")
        inspected = self._docker(
            "inspect", "--format",
            "{{.State.Status}} {{.State.Pid}} {{if .State.Health}}{{.State.Health.Status}}{{end}}",
            container,
        ).split()  # fmt: skip
        return (inspected[0], int(inspected[1]), inspected[2] if len(inspected) > 2 else "")

    def _local_pid(self, name: str) -> int | None:
        """The container's main process when it runs on this machine and this user may
        signal it: its pid's cgroup names the container (so it is no namesake process of
        a remote daemon's host)."""
        container, pid = self._container(name), self.pid(name)
        if not container or pid is None:
            return None
        try:
            cgroups = Path(f"/proc/{pid}/cgroup").read_text()
            os.kill(pid, 0)
        except OSError:
            return None
        return pid if container in cgroups else None

    def pid(self, name: str) -> int | None:
        """The container's main process as the host sees it, None when not running."""
        status, pid, _ = self._state(name)
        return pid if status == "running" and pid else None

    def kill(self, name: str) -> int:
        """SIGKILL the container's process (no chance to clean up); returns its pid.

        A crash where the daemon is local (the restart policy revives it), else a kill
        through Docker's API (it stays down until `start`)."""
        pid = self.pid(name)
        if pid is None:
            raise RuntimeError(f"{name} is not running")
        if self._local_pid(name) == pid:
            os.kill(pid, signal.SIGKILL)
        else:
            self._run("kill", "--signal", "SIGKILL", SERVICES.get(name, name))
        deadline = time.monotonic() + 10
        while self.pid(name) == pid:  # gone, or already restarted by the restart policy
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} (pid {pid}) survived SIGKILL")
            time.sleep(0.1)
        return pid

    def stop(self, name: str) -> None:
        """A graceful stop (SIGTERM, SIGKILL after 10 s); the restart policy leaves it down."""
        self._run("stop", "--timeout", "10", SERVICES.get(name, name))

    async def start(self, name: str, within: float = START_SECONDS) -> None:
        """Start `name` again (a no-op if it runs) and wait until its healthcheck passes.

        Its container only: `docker compose start` would start its dependencies as well,
        running every migrate job and the topics job again."""
        container = self._container(name)
        if not container:
            raise RuntimeError(f"{name} has no container")
        await asyncio.to_thread(self._docker, "start", container)
        if not await wait_until(self._healthy(name), within, interval=0.5):
            raise RuntimeError(f"{name} not healthy within {within}s:\n{self.log_tail(name)}")
        if SERVICES.get(name) == "kafka":
            # A no-op while the broker keeps its topics; recreates them if it did not.
            await asyncio.to_thread(self._run, "run", "--rm", "--no-deps", TOPICS_JOB)

    async def ready(self, name: str) -> bool:
        """True once `name` runs and its healthcheck passes."""
        return await self._healthy(name)()

    @property
    def restarts_dead_processes(self) -> bool:
        """True when `kill` makes a crash (the daemon runs on this machine), which the
        restart policy revives; a kill through Docker's API counts as a deliberate stop,
        which it leaves alone."""
        return self._local_pid("checkout-serve") is not None

    @property
    def broker_keeps_log(self) -> bool:
        """True: Kafka keeps its log on disk, the local stand-in in its object store, so a
        restart keeps topics, records and committed offsets."""
        return True

    def log_tail(self, name: str, lines: int = 30) -> str:
        return self._run("logs", "--no-color", "--tail", str(lines), SERVICES.get(name, name))

    def log_text(self, name: str) -> str:
        """Everything the process logged, one line per record, as the container wrote it."""
        return self._run("logs", "--no-color", "--no-log-prefix", SERVICES.get(name, name))

    def logs(self) -> dict[str, str]:
        """Every container's log (the jobs' too) by compose service name."""
        services = self._run("ps", "--all", "--services").split()
        return {name: self.log_text(name) for name in services}

    def _healthy(self, name: str) -> ReadinessCheck:
        async def check() -> bool:
            status, _, health = await asyncio.to_thread(self._state, name)
            return status == "running" and health in ("", "healthy")

        return check

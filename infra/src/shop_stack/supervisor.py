"""Start, stop and inspect named processes, with pid files we can trust.

    sup = Supervisor(VarDirs(Path("var")).ensure())
    sup.start(ProcessSpec("echo", ("sleep", "60")))
    sup.stop("echo")

Each process gets `var/log/<name>.log` (appended), `var/run/<name>.pid` (the pid alone,
for shell tools) and `var/run/<name>.json` (its argv and start time). A process is
"ours" only if the live process behind the pid has that same start time and command
line: a stranger that reused the pid is never signalled. Processes start in their own
session, so a Ctrl-C in the terminal reaches the runner only and the runner decides
the order of shutdown.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import psutil

from shop_stack.paths import VarDirs
from shop_stack.spec import ProcessSpec


class SupervisorError(RuntimeError):
    """Base of every start/stop failure the CLI reports to the operator."""


class PortTaken(SupervisorError):
    """A port a process needs is already bound by someone else."""

    def __init__(self, name: str, port: int, holder: str) -> None:
        super().__init__(f"cannot start {name}: port {port} is already in use by {holder}")
        self.name, self.port, self.holder = name, port, holder


class NotOurs(SupervisorError):
    """The pid file names a live process that we did not start."""


@dataclass(frozen=True)
class ProcessState:
    """What `status` reports for one name."""

    name: str
    pid: int | None
    alive: bool


class Supervisor:
    """Owns the pid and log files under one var dir."""

    def __init__(self, dirs: VarDirs) -> None:
        self.dirs = dirs.ensure()
        # Popen handles of what this runner started: polling them reaps zombies.
        self._children: dict[str, subprocess.Popen[bytes]] = {}
        # A watchdog thread restarts what died; holding a name's lock while starting and
        # stopping it means it never sees a process being stopped on purpose as dead.
        self._locks: dict[str, threading.RLock] = {}
        self._locks_lock = threading.Lock()

    def log_file(self, name: str) -> Path:
        return self.dirs.log / f"{name}.log"

    def pid_file(self, name: str) -> Path:
        return self.dirs.run / f"{name}.pid"

    def _meta_file(self, name: str) -> Path:
        return self.dirs.run / f"{name}.json"

    def names(self) -> list[str]:
        """Every name with a pid file, running or stale."""
        return sorted(p.stem for p in self.dirs.run.glob("*.pid"))

    def start(self, spec: ProcessSpec) -> int:
        """Start `spec` unless it already runs; return its pid."""
        with self._lock(spec.name):
            return self._start(spec)

    def _start(self, spec: ProcessSpec) -> int:
        running = self.pid(spec.name)
        if running is not None:
            return running
        for port in spec.ports:
            ensure_port_free(spec.name, port)
        if spec.prepare is not None:
            spec.prepare()
        log = self.log_file(spec.name)
        with log.open("ab") as out:
            proc = subprocess.Popen(
                spec.argv,
                env={**os.environ, **spec.env},
                cwd=spec.cwd,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                user=spec.user,
            )
        self._children[spec.name] = proc
        meta = {
            "argv": list(spec.argv),
            "create_time": psutil.Process(proc.pid).create_time(),
            "stop_signal": int(spec.stop_signal),
        }
        self._meta_file(spec.name).write_text(json.dumps(meta))
        self.pid_file(spec.name).write_text(f"{proc.pid}\n")
        return proc.pid

    def pid(self, name: str) -> int | None:
        """The pid of `name` if it is alive and ours, else None."""
        proc = self._verified(name)
        return None if proc is None else proc.pid

    def state(self, name: str) -> ProcessState:
        pid = self._recorded_pid(name)
        return ProcessState(name, pid, self.pid(name) is not None)

    def exited(self, name: str) -> int | None:
        """The exit code if this runner started `name` and it has exited."""
        child = self._children.get(name)
        return None if child is None else child.poll()

    def died(self, name: str) -> int | None:
        """The exit code if this runner started `name`, did not stop it, and it exited."""
        with self._lock(name):
            child = self._children.get(name)
            if child is None or self._recorded_pid(name) != child.pid:
                return None
            return child.poll()

    def restart_if_died(self, spec: ProcessSpec) -> int | None:
        """Start `spec` again if it `died`; its new pid, or None if it had not died."""
        with self._lock(spec.name):
            if self.died(spec.name) is None:
                return None
            # The dead child stays recorded until a new one replaces it: a start that
            # fails (its port still taken) leaves it dead, to be retried after a backoff.
            return self._start(spec)

    def stop(self, name: str, grace: float = 10.0) -> bool:
        """Stop `name` if it is ours: its stop signal, then SIGKILL after `grace` s.

        Returns True if a process was stopped. Raises NotOurs if the pid file names a
        live process we did not start (the files are left for a human to look at).
        """
        with self._lock(name):
            proc = self._verified(name, strict=True)
            if proc is None:
                self._forget(name)
                return False
            try:
                family = [proc, *proc.children(recursive=True)]
                proc.send_signal(self._meta(name).get("stop_signal", signal.SIGTERM))
            except psutil.NoSuchProcess:
                family = []
            _, alive = psutil.wait_procs(family[:1], timeout=grace)
            for straggler in alive:
                _kill(straggler)
            # Children the leader left behind (e.g. a reloader's worker) go too.
            _, alive = psutil.wait_procs(family[1:], timeout=min(grace, 2.0))
            for straggler in alive:
                _kill(straggler)
            psutil.wait_procs(alive, timeout=2.0)
            self._forget(name)
            return True

    def tail(self, name: str, lines: int = 20) -> str:
        """The last `lines` lines of the process's log, for error messages."""
        log = self.log_file(name)
        if not log.exists():
            return ""
        with log.open(errors="replace") as f:
            return "".join(deque(f, maxlen=lines))

    def _lock(self, name: str) -> threading.RLock:
        with self._locks_lock:
            return self._locks.setdefault(name, threading.RLock())

    def _forget(self, name: str) -> None:
        child = self._children.pop(name, None)
        if child is not None:
            child.poll()
        self.pid_file(name).unlink(missing_ok=True)
        self._meta_file(name).unlink(missing_ok=True)

    def _recorded_pid(self, name: str) -> int | None:
        try:
            return int(self.pid_file(name).read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def _meta(self, name: str) -> dict[str, object]:
        try:
            meta = json.loads(self._meta_file(name).read_text())
        except (OSError, ValueError):
            return {}
        return meta if isinstance(meta, dict) else {}

    def _verified(self, name: str, *, strict: bool = False) -> psutil.Process | None:
        pid = self._recorded_pid(name)
        if pid is None:
            return None
        child = self._children.get(name)
        if child is not None and child.pid == pid and child.poll() is not None:
            return None
        seen = "unreadable"
        try:
            proc = psutil.Process(pid)
            if proc.status() == psutil.STATUS_ZOMBIE:
                return None
            meta = self._meta(name)
            started, cmdline = proc.create_time(), proc.cmdline()
            seen = f"started at {started}, running {cmdline}"
            # Start times come from the same kernel clock ticks, so "same" is exact.
            same_start = abs(started - float(str(meta.get("create_time", 0)))) < 0.02
            # Right after exec the kernel may show an empty cmdline for a moment
            # (measured here: Popen returned, /proc/<pid>/cmdline still empty).
            if same_start and cmdline in (meta.get("argv"), []):
                return proc
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            return None
        except psutil.AccessDenied:
            pass
        if strict:
            raise NotOurs(
                f"pid {pid} in {self.pid_file(name)} is not the {name} we started "
                f"({seen}; recorded {self._meta(name)}); not signalling it"
            )
        return None


def _kill(proc: psutil.Process) -> None:
    with contextlib.suppress(psutil.NoSuchProcess):
        proc.kill()


def ensure_port_free(name: str, port: int) -> None:
    """Raise PortTaken naming the holder if 127.0.0.1:`port` cannot be bound."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            raise PortTaken(name, port, port_holder(port)) from None


def port_holder(port: int) -> str:
    """Best-effort description of who listens on `port` ("pid 12 (postgres)")."""
    try:
        for conn in psutil.net_connections(kind="tcp"):
            if conn.laddr and conn.laddr.port == port and conn.status == psutil.CONN_LISTEN:
                if conn.pid is None:
                    break
                with contextlib.suppress(psutil.Error):
                    return f"pid {conn.pid} ({psutil.Process(conn.pid).name()})"
                return f"pid {conn.pid}"
    except psutil.Error:
        pass
    return "another process"

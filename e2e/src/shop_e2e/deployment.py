"""Where the shop under test runs: an existing deployment named by env, or a fresh
embedded stack started here once, on free ports, in a temporary var dir.

    with deployment_from_env() as deployment:
        deployment.url("checkout")                 # http://127.0.0.1:<port>
        await deployment.control.start("fulfillment-work")   # embedded stack only

Env for an existing deployment (nothing is started when E2E_CHECKOUT_URL is set):
E2E_<SERVICE>_URL for each service (default the standard ports), E2E_MAIL_URL (the mail
sink's or Mailpit's HTTP API), E2E_KAFKA_BOOTSTRAP_SERVERS, E2E_ADMIN_TOKEN; and
E2E_STACK_CONTROL=1 when it is a `make up` stack on this machine, so the process tests may
stop and SIGKILL its processes through shop_stack (with the usual STACK_* env).
E2E_KEEP_VAR_DIR=1 keeps the embedded stack's logs after the run.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from shop_stack.paths import VarDirs
from shop_stack.runner import StackRunner
from shop_stack.supervisor import Supervisor
from shop_stack.topology import SERVICES, WORKER_PORT_OFFSET, StackConfig, build_topology
from shop_testing.ports import free_port
from shop_testing.sync import run_sync

DEFAULT_ADMIN_TOKEN = "dev-admin-token"
STARTUP_SECONDS = 240.0  # a cold start of 17 processes on a 2-core CI runner, with margin


class ProcessControl:
    """Stop, start and SIGKILL the stack's processes by name (`checkout-work`, ...)."""

    def __init__(self, runner: StackRunner) -> None:
        self._runner = runner

    @property
    def var_dir(self) -> Path:
        return self._runner.sup.dirs.root

    def pid(self, name: str) -> int | None:
        return self._runner.sup.pid(name)

    def kill(self, name: str) -> int:
        """SIGKILL the process named in var/run/<name>.pid (no chance to clean up)."""
        pid = self._runner.sup.pid(name)
        if pid is None:
            raise RuntimeError(f"{name} is not running")
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while self._runner.sup.pid(name) is not None:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} (pid {pid}) survived SIGKILL")
            time.sleep(0.05)
        return pid

    def stop(self, name: str) -> None:
        """A graceful stop (SIGTERM, then SIGKILL after a grace period)."""
        self._runner.sup.stop(name)

    async def start(self, name: str, within: float = 60.0) -> None:
        """Start `name` again and wait until its /health/ready answers 200."""
        await self._runner.start(name, within)

    def log_tail(self, name: str, lines: int = 30) -> str:
        return self._runner.sup.tail(name, lines)


@dataclass(frozen=True)
class Deployment:
    urls: Mapping[str, str]
    mail_url: str
    kafka_bootstrap_servers: str
    admin_token: str = DEFAULT_ADMIN_TOKEN
    control: ProcessControl | None = field(default=None, compare=False)

    def url(self, service: str) -> str:
        return self.urls[service]


@contextmanager
def deployment_from_env(env: Mapping[str, str] = os.environ) -> Iterator[Deployment]:
    """The deployment env names, or an embedded stack that lives as long as the block."""
    if env.get("E2E_CHECKOUT_URL"):
        yield existing_deployment(env)
        return
    with embedded_stack(keep=env.get("E2E_KEEP_VAR_DIR") == "1") as deployment:
        yield deployment


def existing_deployment(env: Mapping[str, str]) -> Deployment:
    urls = {
        name: env.get(f"E2E_{name.upper()}_URL", f"http://127.0.0.1:{port}")
        for name, port in SERVICES
    }
    control = None
    if env.get("E2E_STACK_CONTROL") == "1":
        config = StackConfig.from_env(env)
        control = ProcessControl(StackRunner(build_topology(config), Supervisor(config.dirs)))
    return Deployment(
        urls=urls,
        mail_url=env.get("E2E_MAIL_URL", "http://127.0.0.1:8025"),
        kafka_bootstrap_servers=env.get("E2E_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
        admin_token=env.get("E2E_ADMIN_TOKEN", DEFAULT_ADMIN_TOKEN),
        control=control,
    )


@contextmanager
def embedded_stack(*, keep: bool = False) -> Iterator[Deployment]:
    """The whole stack (every service's serve and work, PostgreSQL, broker, mail sink) on
    free ports under a temporary var dir; stopped, and the dir removed, on exit."""
    root = Path(tempfile.mkdtemp(prefix="shop-e2e-"))
    base = free_port_block(len(SERVICES))
    config = StackConfig(
        dirs=VarDirs(root),
        postgres_port=free_port(),
        broker_port=free_port(),
        smtp_port=free_port(),
        smtp_http_port=free_port(),
        admin_token=DEFAULT_ADMIN_TOKEN,
        services=tuple((name, base + n) for n, (name, _) in enumerate(SERVICES)),
    )
    runner = StackRunner(build_topology(config), Supervisor(config.dirs), say=print)
    print(f"\ne2e: starting the embedded stack in {root} (logs in {root / 'log'})")
    started = time.monotonic()
    try:
        run_sync(lambda: runner.up(STARTUP_SECONDS))
        print(f"e2e: stack ready in {time.monotonic() - started:.1f}s")
        yield Deployment(
            urls={name: f"http://127.0.0.1:{port}" for name, port in config.services},
            mail_url=f"http://127.0.0.1:{config.smtp_http_port}",
            kafka_bootstrap_servers=config.bootstrap,
            admin_token=config.admin_token,
            control=ProcessControl(runner),
        )
    finally:
        runner.down()
        if keep:
            print(f"e2e: logs kept in {root / 'log'}")
        else:
            shutil.rmtree(root, ignore_errors=True)


def free_port_block(count: int, tries: int = 200) -> int:
    """A base port b with b..b+count-1 and their worker ports (+100) all free now."""
    for _ in range(tries):
        base = random.randrange(20000, 30000)
        wanted = [base + n for n in range(count)]
        wanted += [port + WORKER_PORT_OFFSET for port in wanted]
        if all(_is_free(port) for port in wanted):
            return base
    raise RuntimeError(f"no block of {count} free ports found")


def _is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True

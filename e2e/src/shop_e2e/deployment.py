"""Where the shop under test runs: an existing deployment named by env, or a fresh
embedded stack started here once, on free ports, in a temporary var dir.

    with deployment_from_env() as deployment:
        deployment.url("checkout")                 # http://127.0.0.1:<port>
        await deployment.control.start("fulfillment-work")   # embedded stack only

Env for an existing deployment (nothing is started when E2E_CHECKOUT_URL is set):
E2E_<SERVICE>_URL for each service (default the standard ports), E2E_STOREFRONT_URL
(default http://127.0.0.1:8080), E2E_MAIL_URL (the mail
sink's or Mailpit's HTTP API), E2E_KAFKA_BOOTSTRAP_SERVERS; SHOP_<NAME>_KEY for the keys the
client signs with (shop_e2e.credentials; development keys when unset); and
E2E_STACK_CONTROL=1 when it is a `make up` stack on this machine, so the process tests may
stop and SIGKILL its processes through shop_stack (with the usual STACK_* env), or
E2E_COMPOSE="docker compose" for a compose stack (shop_e2e.compose.ComposeControl).
E2E_KEEP_VAR_DIR=1 keeps the embedded stack's logs after the run.

The embedded stack runs with E2E_SETTINGS (a short breaker reset timeout, small
reconciliation deadlines and grace, no scheduled reconciliation runs), so drift is found in
seconds and the job repairs only when a scenario asks. An existing deployment started with
the same settings says so with E2E_TUNED=1; scenarios that need them skip otherwise.
"""

from __future__ import annotations

import os
import random
import shlex
import shutil
import signal
import socket
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import FrameType

from shop_stack.paths import VarDirs
from shop_stack.runner import StackRunner
from shop_stack.spec import ProcessSpec
from shop_stack.supervisor import Supervisor
from shop_stack.topology import (
    SERVICES,
    WORKER_PORT_OFFSET,
    StackConfig,
    Topology,
    build_topology,
)
from shop_testing.otlp import OtlpReceiver
from shop_testing.ports import free_ports
from shop_testing.sync import run_sync

from shop_e2e.compose import ComposeControl

STARTUP_SECONDS = 240.0  # a cold start of 17 processes on a 2-core CI runner, with margin

# The settings every process of the embedded stack gets (and a deployment with E2E_TUNED=1
# promises): recovery and drift within seconds, and reconciliation only on demand.
E2E_SETTINGS: Mapping[str, str] = {
    "CHECKOUT_BREAKER_RESET_TIMEOUT_S": "2",
    "RECONCILIATION_ORPHAN_GRACE_SECONDS": "2",
    "RECONCILIATION_ALLOCATION_DEADLINE_SECONDS": "3",
    "RECONCILIATION_RESERVATION_COMMIT_DEADLINE_SECONDS": "3",
    "RECONCILIATION_PAYMENT_CAPTURE_DEADLINE_SECONDS": "3",
    "RECONCILIATION_CUSTOMER_NOTIFICATION_DEADLINE_SECONDS": "3",
    "RECONCILIATION_STATUS_SETTLE_SECONDS": "3",
    "RECONCILIATION_SCHEDULE_INTERVAL_SECONDS": "0",
    # Every e2e and bench request comes from this one address: only per-customer limits bite.
    "CHECKOUT_CLIENT_CHECKOUTS_PER_MINUTE": "6000000",
    "CHECKOUT_CLIENT_CHECKOUT_BURST": "100000",
}


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
        """SIGKILL the process named in var/run/<name>.pid (no chance to clean up).

        Returns once that pid is gone; the stack's watchdog then restarts the process.
        """
        pid = self._runner.sup.pid(name)
        if pid is None:
            raise RuntimeError(f"{name} is not running")
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while self._runner.sup.pid(name) == pid:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} (pid {pid}) survived SIGKILL")
            time.sleep(0.05)
        return pid

    @property
    def restarts_dead_processes(self) -> bool:
        """True when the runner that started the stack watches it (the embedded stack)."""
        return self._runner.watchdog is not None

    @property
    def broker_keeps_log(self) -> bool:
        """False: the embedded broker stores in memory, so a restart loses its log."""
        return False

    async def ready(self, name: str) -> bool:
        """True once `name` is alive and its readiness check passes."""
        check = self._runner.topology.get(name).ready
        return self.pid(name) is not None and (check is None or await check())

    def stop(self, name: str) -> None:
        """A graceful stop (SIGTERM, then SIGKILL after a grace period)."""
        self._runner.sup.stop(name)

    async def start(self, name: str, within: float = 60.0) -> None:
        """Start `name` again and wait until its /health/ready answers 200."""
        await self._runner.start(name, within)

    def log_tail(self, name: str, lines: int = 30) -> str:
        return self._runner.sup.tail(name, lines)

    def log_text(self, name: str) -> str:
        """Everything the process logged (var/log/<name>.log), "" before its first line."""
        log = self.var_dir / "log" / f"{name}.log"
        return log.read_text(errors="replace") if log.exists() else ""

    def logs(self) -> dict[str, str]:
        """Every process's log (var/log/*.log) by process name."""
        found = sorted((self.var_dir / "log").glob("*.log"))
        return {log.stem: log.read_text(errors="replace") for log in found}


@dataclass(frozen=True)
class Deployment:
    urls: Mapping[str, str]
    mail_url: str
    kafka_bootstrap_servers: str
    control: ProcessControl | ComposeControl | None = field(default=None, compare=False)
    # What the run targets, in words (printed at the start and in the report).
    target: str = "a deployment"
    # Runs with E2E_SETTINGS (short breaker reset, small reconciliation deadlines).
    tuned: bool = False
    # The broker is reachable from here (always for the embedded stack; for a deployment,
    # only when E2E_KAFKA_BOOTSTRAP_SERVERS names it).
    broker_reachable: bool = True
    # The storefront in front of the public API (a browser's way in), when there is one.
    storefront_url: str | None = None
    # The spans every process exported (the embedded stack exports to a receiver here).
    traces: OtlpReceiver | None = field(default=None, compare=False)

    def url(self, service: str) -> str:
        return self.urls[service]


@contextmanager
def deployment_from_env(
    env: Mapping[str, str] = os.environ, *, export_traces: bool = True
) -> Iterator[Deployment]:
    """The deployment env names, or an embedded stack that lives as long as the block."""
    if env.get("E2E_CHECKOUT_URL"):
        yield existing_deployment(env)
        return
    keep = env.get("E2E_KEEP_VAR_DIR") == "1"
    with embedded_stack(keep=keep, export_traces=export_traces) as deployment:
        yield deployment


def describe_target(env: Mapping[str, str] = os.environ) -> str:
    """What `deployment_from_env(env)` will target, in one line, before anything starts."""
    if not env.get("E2E_CHECKOUT_URL"):
        return (
            "an embedded stack this run starts itself (shop_stack runner, free ports, "
            "temporary var dir, E2E_SETTINGS)"
        )
    control = "HTTP only"
    if env.get("E2E_COMPOSE"):
        control = f"docker compose control through `{env['E2E_COMPOSE']}`"
    elif env.get("E2E_STACK_CONTROL") == "1":
        control = "with process control"
    tuned = ", E2E_TUNED" if env.get("E2E_TUNED") == "1" else ""
    return f"the deployment at {env['E2E_CHECKOUT_URL']} (E2E_*_URL; {control}{tuned})"


def existing_deployment(env: Mapping[str, str]) -> Deployment:
    urls = {
        name: env.get(f"E2E_{name.upper()}_URL", f"http://127.0.0.1:{port}")
        for name, port in SERVICES
    }
    control: ProcessControl | ComposeControl | None = None
    if env.get("E2E_COMPOSE"):
        control = ComposeControl(shlex.split(env["E2E_COMPOSE"]))
    elif env.get("E2E_STACK_CONTROL") == "1":
        config = StackConfig.from_env(env)
        control = ProcessControl(StackRunner(build_topology(config), Supervisor(config.dirs)))
    return Deployment(
        urls=urls,
        mail_url=env.get("E2E_MAIL_URL", "http://127.0.0.1:8025"),
        kafka_bootstrap_servers=env.get("E2E_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
        control=control,
        target=describe_target(env),
        tuned=env.get("E2E_TUNED") == "1",
        broker_reachable=bool(env.get("E2E_KAFKA_BOOTSTRAP_SERVERS")),
        storefront_url=env.get("E2E_STOREFRONT_URL", "http://127.0.0.1:8080"),
    )


@contextmanager
def embedded_stack(
    *, keep: bool = False, within: float = STARTUP_SECONDS, export_traces: bool = True
) -> Iterator[Deployment]:
    """The whole stack (every service's serve and work, PostgreSQL, broker, mail sink) on
    free ports under a temporary var dir, ready `within` seconds; stopped, and the dir
    removed, on exit. With `export_traces`, every process sends its spans to a receiver in
    this process (`Deployment.traces`); without, none records any, as under `make up`."""
    root = Path(tempfile.mkdtemp(prefix="shop-e2e-"))
    base = free_port_block(len(SERVICES))
    postgres, broker, smtp, smtp_http, storefront = free_ports(5)
    config = StackConfig(
        dirs=VarDirs(root),
        postgres_port=postgres,
        broker_port=broker,
        smtp_port=smtp,
        smtp_http_port=smtp_http,
        storefront_port=storefront,
        services=tuple((name, base + n) for n, (name, _) in enumerate(SERVICES)),
    )
    # Every process exports its spans here, as to a collector (OTEL_BSP_SCHEDULE_DELAY: in
    # batches every 200 ms, so a test's trace arrives within a second).
    receiver = OtlpReceiver().start() if export_traces else None
    tracing = (
        {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint, "OTEL_BSP_SCHEDULE_DELAY": "200"}
        if receiver is not None
        else {}
    )
    topology = with_env(build_topology(config), {**E2E_SETTINGS, **tracing})
    runner = StackRunner(topology, Supervisor(config.dirs), say=print)
    print(f"\ne2e: starting the embedded stack in {root} (logs in {root / 'log'})")
    started = time.monotonic()
    # SIGTERM, too, ends in the `finally` below.
    with sigterm_unwinds():
        try:
            run_sync(lambda: runner.up(within))
            print(f"e2e: stack ready in {time.monotonic() - started:.1f}s")
            runner.keep_alive()  # a process that dies comes back, as under compose
            yield Deployment(
                urls={name: f"http://127.0.0.1:{port}" for name, port in config.services},
                mail_url=f"http://127.0.0.1:{config.smtp_http_port}",
                kafka_bootstrap_servers=config.bootstrap,
                control=ProcessControl(runner),
                target=describe_target({}),
                tuned=True,
                storefront_url=f"http://127.0.0.1:{config.storefront_port}",
                traces=receiver,
            )
        finally:
            runner.down()
            if receiver is not None:
                receiver.stop()
            if keep:
                print(f"e2e: logs kept in {root / 'log'}")
            else:
                shutil.rmtree(root, ignore_errors=True)


@contextmanager
def sigterm_unwinds() -> Iterator[None]:
    """While it is entered, SIGTERM (a CI job's timeout, `kill`) is Ctrl-C: a
    KeyboardInterrupt in the main thread, so `finally` blocks run and a stack gets stopped
    (pytest, too, stops the session and runs its teardown). By default Python dies at once
    and leaves PostgreSQL, the broker and the mail sink running. Off the main thread (where
    no handler can be set) it changes nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _interrupt_on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt_on_sigterm(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def with_env(topology: Topology, extra: Mapping[str, str]) -> Topology:
    """`topology` with `extra` added to the env of every service process and migration."""

    def add(spec: ProcessSpec) -> ProcessSpec:
        return replace(spec, env={**spec.env, **extra})

    return replace(
        topology,
        services=tuple(add(spec) for spec in topology.services),
        migrations=tuple(add(spec) for spec in topology.migrations),
    )


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

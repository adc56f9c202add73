"""The shop to measure: the E2E_*_URL deployment, or an embedded stack on free ports.

    with bench_deployment(startup_seconds=600) as deployment: ...

The embedded stack is the e2e suite's (same topology, E2E_SETTINGS, free ports, a
temporary var dir, process control); only its start-up budget is the bench's own, since
a bench is often run on a loaded machine where 17 processes take minutes to start.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from shop_e2e import Deployment, ProcessControl
from shop_e2e.deployment import (
    DEFAULT_ADMIN_TOKEN,
    E2E_SETTINGS,
    describe_target,
    existing_deployment,
    free_port_block,
    with_env,
)
from shop_stack.paths import VarDirs
from shop_stack.runner import StackRunner
from shop_stack.supervisor import Supervisor
from shop_stack.topology import SERVICES, StackConfig, build_topology
from shop_testing.ports import free_port
from shop_testing.sync import run_sync


@contextmanager
def bench_deployment(
    startup_seconds: float, env: Mapping[str, str] = os.environ
) -> Iterator[Deployment]:
    if env.get("E2E_CHECKOUT_URL"):
        yield existing_deployment(env)
        return
    root = Path(tempfile.mkdtemp(prefix="shop-bench-"))
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
    runner = StackRunner(
        with_env(build_topology(config), E2E_SETTINGS), Supervisor(config.dirs), say=print
    )
    print(f"bench: starting the embedded stack in {root}")
    started = time.monotonic()
    try:
        run_sync(lambda: runner.up(startup_seconds))
        print(f"bench: stack ready in {time.monotonic() - started:.1f}s")
        yield Deployment(
            urls={name: f"http://127.0.0.1:{port}" for name, port in config.services},
            mail_url=f"http://127.0.0.1:{config.smtp_http_port}",
            kafka_bootstrap_servers=config.bootstrap,
            admin_token=config.admin_token,
            control=ProcessControl(runner),
            target=describe_target({}),
            tuned=True,
        )
    finally:
        runner.down()
        shutil.rmtree(root, ignore_errors=True)

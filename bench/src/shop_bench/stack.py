"""The shop to measure: the E2E_*_URL deployment, or an embedded stack on free ports.

    with bench_deployment(startup_seconds=600) as deployment: ...

The embedded stack is the e2e suite's own (`shop_e2e.deployment.embedded_stack`: same
topology, E2E_SETTINGS, free ports, a temporary var dir, process control); only its
start-up budget is the bench's, since a bench is often run on a loaded machine where 17
processes take minutes to start, and it exports no spans unless asked (`make up` does not:
with every process exporting, C1 rose from 248 to 311 ms and C2 from 13 to 15 % of a core).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from shop_e2e import Deployment
from shop_e2e.deployment import embedded_stack, existing_deployment


@contextmanager
def bench_deployment(
    startup_seconds: float, env: Mapping[str, str] = os.environ, *, export_traces: bool = False
) -> Iterator[Deployment]:
    if env.get("E2E_CHECKOUT_URL"):
        yield existing_deployment(env)
        return
    with embedded_stack(within=startup_seconds, export_traces=export_traces) as deployment:
        yield deployment

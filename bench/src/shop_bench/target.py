"""The shop under measurement: URLs, its processes' pids, metrics, faults and stock.

    target = Target(deployment)
    target.named_pids()                 # every stack process by name (empty for a URL-only target)
    await target.faults(client, "payment", refuse=True)

Traffic goes to loopback only: a URL elsewhere is refused before anything is sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from prometheus_client.parser import text_string_to_metric_families
from shop_auth import ShopAuth
from shop_e2e import Deployment, ProcessControl
from shop_stack.paths import VarDirs
from shop_stack.supervisor import Supervisor
from shop_stack.topology import WORKER_PORT_OFFSET

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
SKU = "SKU-NOTE-01"

Metrics = dict[tuple[str, frozenset[tuple[str, str]]], float]


@dataclass(frozen=True)
class Target:
    deployment: Deployment

    def __post_init__(self) -> None:
        for name, url in self.deployment.urls.items():
            if urlsplit(url).hostname not in LOOPBACK:
                raise SystemExit(f"{name} at {url}: the bench only sends traffic to loopback")

    def url(self, service: str) -> str:
        return self.deployment.url(service)

    def worker_url(self, service: str) -> str:
        parts = urlsplit(self.url(service))
        return f"http://{parts.hostname}:{(parts.port or 80) + WORKER_PORT_OFFSET}"

    @property
    def controlled(self) -> bool:
        return self.deployment.control is not None

    def named_pids(self) -> dict[str, int]:
        """Every stack process by name (postgres, broker, checkout-serve, ...); none for a
        URL or compose target, whose processes are not ours to read."""
        control = self.deployment.control
        if not isinstance(control, ProcessControl):
            return {}
        supervisor = Supervisor(VarDirs(control.var_dir))
        return {
            name: pid for name in supervisor.names() if (pid := supervisor.pid(name)) is not None
        }

    def pid(self, name: str) -> int | None:
        control = self.deployment.control
        return control.pid(name) if control is not None else None

    @property
    def auth(self) -> ShopAuth:
        """Each call signed as whom its route admits (a customer, an operator, ...)."""
        return ShopAuth(self.deployment.urls)

    async def faults(self, client: httpx.AsyncClient, service: str, **body: Any) -> None:
        """Set faults on `service` (PUT /admin/faults), or clear them when `body` is empty."""
        url = f"{self.url(service)}/admin/faults"
        if body:
            (await client.put(url, json=body)).raise_for_status()
        else:
            (await client.delete(url)).raise_for_status()

    async def stock_up(self, client: httpx.AsyncClient, needed: int) -> None:
        stock = (await client.get(f"{self.url('inventory')}/v1/stock/{SKU}")).json()
        while stock["available"] < needed:  # bounded: each round adds up to 100k
            add = min(100_000, needed - stock["available"])
            (
                await client.post(
                    f"{self.url('inventory')}/v1/stock/{SKU}/replenish",
                    json={"quantity": add},
                )
            ).raise_for_status()
            stock["available"] += add

    async def breakers(self, client: httpx.AsyncClient) -> dict[str, str]:
        """checkout's breakers and their states, from /health/ready."""
        report = (await client.get(f"{self.url('checkout')}/health/ready")).json()
        checks: Mapping[str, Any] = report.get("checks", {})
        return {
            name: str(check.get("state"))
            for name, check in checks.items()
            if name.startswith("breaker_") and isinstance(check, dict)
        }


async def scrape(client: httpx.AsyncClient, url: str) -> Metrics:
    """Every sample of `url`/metrics, keyed by (name, labels)."""
    text = (await client.get(f"{url}/metrics")).text
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def delta(before: Metrics, after: Metrics, name: str, **labels: str) -> float:
    """How much the samples named `name` that carry `labels` grew between two scrapes."""
    wanted = set(labels.items())
    return sum(
        value - before.get(key, 0.0)
        for key, value in after.items()
        if key[0] == name and wanted <= key[1]
    )


def route_mean(before: Metrics, after: Metrics, route: str, method: str = "POST") -> float | None:
    """Server-side mean seconds of `method route` between two scrapes (_sum / _count)."""
    labels = {"method": method, "route": route}
    count = delta(before, after, "http_request_duration_seconds_count", **labels)
    total = delta(before, after, "http_request_duration_seconds_sum", **labels)
    return total / count if count else None

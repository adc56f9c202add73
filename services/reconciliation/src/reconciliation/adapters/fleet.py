"""The other services as the console sees them: readiness (breaker states), fault
injection, and their /metrics, over HTTP with operator tokens.

    fleet = HttpFleet({"payment": Target("http://127.0.0.1:8003", "http://127.0.0.1:8103")},
                      operator=Minter("operator", key))
    await fleet.status("payment")

Reading a service that does not answer is a fact to show, never an error: `status`
reports it unreachable.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families
from shop_auth import Minter

from reconciliation.domain.operations import FaultSettings, MetricSample, ServiceStatus, Target

# The metric families the console shows when a service exports them, by name prefix: the
# dependency calls and breakers, request counts, the outbox, consumers and dead letters,
# admission, orders, reconciliation's runs and findings. The rest (process, Python, GC)
# stays on /metrics. Whole words, so `make rename` renames them with the metrics.
KEY_METRICS = (
    "dependency_",
    "http_requests",
    "shop_outbox",
    "shop_consumer",
    "shop_dependency",
    "shop_admission",
    "shop_checkout",
    "shop_order",
    "shop_reconciliation",
    "reconciliation_",
    "checkout_",
)


class HttpFleet:
    def __init__(
        self,
        targets: Mapping[str, Target],
        *,
        operator: Minter,
        timeout_s: float = 3.0,
        key_metrics: tuple[str, ...] = KEY_METRICS,
    ) -> None:
        self.targets = dict(targets)
        self._operator = operator
        self._client = httpx.AsyncClient(timeout=timeout_s)
        self._key_metrics = key_metrics

    async def aclose(self) -> None:
        await self._client.aclose()

    async def statuses(self) -> list[ServiceStatus]:
        return list(await asyncio.gather(*(self.status(name) for name in self.targets)))

    async def status(self, service: str) -> ServiceStatus:
        target = self.targets[service]
        ready, faults, metrics = await asyncio.gather(
            self._ready(target.serve_url),
            self._faults(service, target.serve_url),
            self._metrics(target),
        )
        return ServiceStatus(
            service=service,
            reachable=ready is not None,
            ready=bool(ready and ready.get("status") == "ready"),
            breakers=breaker_states(ready or {}),
            faults=faults,
            metrics=metrics,
        )

    async def set_faults(self, service: str, faults: FaultSettings) -> None:
        body = {
            "latency_ms": faults.latency_ms,
            "error_rate": faults.error_rate,
            "refuse": faults.refuse,
        }
        response = await self._client.put(
            f"{self.targets[service].serve_url}/admin/faults",
            json=body,
            headers=self._operator.headers(service),
        )
        response.raise_for_status()

    async def clear_faults(self, service: str) -> None:
        response = await self._client.delete(
            f"{self.targets[service].serve_url}/admin/faults",
            headers=self._operator.headers(service),
        )
        response.raise_for_status()

    async def _ready(self, url: str) -> dict[str, Any] | None:
        try:
            answer = await self._client.get(f"{url}/health/ready")
            body: dict[str, Any] = answer.json()
            return body
        except (httpx.HTTPError, ValueError):
            return None

    async def _faults(self, service: str, url: str) -> FaultSettings | None:
        try:
            answer = await self._client.get(
                f"{url}/admin/faults", headers=self._operator.headers(service)
            )
            answer.raise_for_status()
            body = answer.json()
        except (httpx.HTTPError, ValueError):
            return None
        return FaultSettings(
            latency_ms=int(body.get("latency_ms", 0)),
            error_rate=float(body.get("error_rate", 0.0)),
            refuse=bool(body.get("refuse", False)),
        )

    async def _metrics(self, target: Target) -> list[MetricSample]:
        samples: list[MetricSample] = []
        for role, url in (("serve", target.serve_url), ("work", target.work_url)):
            if not url:
                continue
            try:
                answer = await self._client.get(f"{url}/metrics")
                answer.raise_for_status()
            except httpx.HTTPError:
                continue
            samples += key_samples(answer.text, role, self._key_metrics)
        return samples


def breaker_states(ready: Mapping[str, Any]) -> dict[str, str]:
    """`breaker_<dependency>` checks of /health/ready -> dependency: state."""
    checks = ready.get("checks", {})
    found: dict[str, str] = {}
    if isinstance(checks, Mapping):
        for name, check in checks.items():
            if str(name).startswith("breaker_") and isinstance(check, Mapping):
                found[str(name).removeprefix("breaker_")] = str(check.get("state", "?"))
    return found


def key_samples(text: str, role: str, wanted: tuple[str, ...]) -> list[MetricSample]:
    samples = []
    for family in text_string_to_metric_families(text):
        if not family.name.startswith(wanted):
            continue
        for sample in family.samples:
            if sample.name.endswith(("_created", "_bucket")):
                continue
            labels = ", ".join(f"{k}={v}" for k, v in sorted(sample.labels.items()))
            samples.append(MetricSample(role, sample.name, labels, sample.value))
    return samples

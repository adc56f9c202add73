"""What an operator does: faults, health, reconciliation runs, stock, dead letters, and
the direct calls that make drift on purpose.

    await shop.set_faults("payment", latency_ms=300)
    run = await shop.reconcile(since)
    output = await shop.replay_dlq("fulfillment")
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from datetime import datetime

from shop_e2e.client import Json, ShopClient


class OperatorApi(ShopClient):
    async def set_faults(
        self, service: str, *, latency_ms: int = 0, error_rate: float = 0.0, refuse: bool = False
    ) -> None:
        body = {"latency_ms": latency_ms, "error_rate": error_rate, "refuse": refuse}
        response = await self.http.put(self._url(service, "/admin/faults"), json=body)
        assert response.status_code == 200, f"faults: {response.status_code} {response.text}"

    async def clear_faults(self, service: str) -> None:
        response = await self.http.delete(self._url(service, "/admin/faults"))
        assert response.status_code == 200, f"faults: {response.status_code} {response.text}"

    async def readiness(self, service: str) -> Json:
        """GET /health/ready's body (200 or 503 alike)."""
        body: Json = (await self.http.get(self._url(service, "/health/ready"))).json()
        return body

    async def breaker_state(self, dependency: str) -> str:
        """Checkout's breaker state for `dependency`: closed, open or half-open."""
        checks = (await self.readiness("checkout"))["checks"]
        state: str = checks[f"breaker_{dependency}"]["state"]
        return state

    async def reconcile(self, since: datetime, *, dry_run: bool = False) -> Json:
        """POST /v1/reconciliation/runs over [since, now): the finished run and findings."""
        response = await self.http.post(
            self._url("reconciliation", "/v1/reconciliation/runs"),
            json={"since": since.isoformat(), "dry_run": dry_run},
            timeout=60,
        )
        assert response.status_code == 201, f"run: {response.status_code} {response.text}"
        run: Json = response.json()
        assert run["status"] == "SUCCEEDED", f"run failed: {run}"
        return run

    async def run_report_text(self, run_id: str) -> str:
        response = await self.http.get(
            self._url("reconciliation", f"/v1/reconciliation/runs/{run_id}"),
            params={"format": "text"},
        )
        return response.text

    async def replenish(self, sku: str, quantity: int) -> Json:
        response = await self.http.post(
            self._url("inventory", f"/v1/stock/{sku}/replenish"),
            json={"quantity": quantity},
        )
        assert response.is_success, f"replenish: {response.status_code} {response.text}"
        replenished: Json = response.json()
        return replenished

    async def reserve_directly(
        self, order_id: str, items: Sequence[tuple[str, int]], ttl_seconds: int = 3600
    ) -> Json:
        """A hold on inventory that no checkout asked for (an orphan in the making)."""
        body = {
            "order_id": order_id,
            "items": [{"sku": sku, "quantity": quantity} for sku, quantity in items],
            "ttl_seconds": ttl_seconds,
        }
        response = await self.http.post(self._url("inventory", "/v1/reservations"), json=body)
        assert response.status_code == 201, f"reserve: {response.status_code} {response.text}"
        held: Json = response.json()
        return held

    async def release_directly(self, order_id: str) -> Json:
        """Release an order's hold on inventory behind checkout's back (a stray release)."""
        path = f"/v1/reservations/by-order/{order_id}/release"
        response = await self.http.post(self._url("inventory", path))
        assert response.status_code == 200, f"release: {response.status_code} {response.text}"
        released: Json = response.json()
        return released

    async def authorize_directly(self, order_id: str, customer: Json, amount: int) -> Json:
        """An authorization on payment that no checkout asked for."""
        body = {
            "order_id": order_id,
            "customer_id": customer["id"],
            "amount": amount,
            "currency": "EUR",
            "token": "tok_visa",
        }
        response = await self.http.post(self._url("payment", "/v1/authorizations"), json=body)
        assert response.status_code == 201, f"authorize: {response.status_code} {response.text}"
        authorized: Json = response.json()
        return authorized

    async def replay_dlq(self, group: str) -> str:
        """The operator's command, `python -m shop_messaging replay-dlq`; its output."""
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "shop_messaging",
            "replay-dlq",
            "--group",
            group,
            "--bootstrap-servers",
            self.deployment.kafka_bootstrap_servers,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        out, _ = await asyncio.wait_for(proc.communicate(), 120)
        text = out.decode(errors="replace")
        assert proc.returncode == 0, f"replay-dlq exited {proc.returncode}: {text}"
        return text

"""A client of the whole shop, as customers and operators see it: HTTP APIs and mail.

    async with Shop(deployment) as shop:
        customer = shop.new_customer()
        placed = await shop.place_order(customer, [("SKU-MUG-01", 2)])
        order = await shop.wait_for(placed["order_id"], status("COMPLETED"))

`wait_for` polls with `eventually`; when the condition is not met in time it prints the
order id, the order view and what every other service says about the order, then fails.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from types import TracebackType
from typing import Any

import httpx
from shop_testing.eventually import eventually

from shop_e2e.deployment import Deployment
from shop_e2e.report import REPORT

Json = dict[str, Any]
OrderCheck = Callable[[Json], object]

ADDRESS = {
    "name": "Grace Hopper",
    "line1": "1 Harbour Way",
    "city": "Berlin",
    "postal_code": "10115",
    "country": "DE",
}


def status(*expected: str) -> OrderCheck:
    """A check that the order's status is one of `expected`."""

    def check(order: Json) -> bool:
        assert order["status"] in expected, f"status {order['status']}, waiting for {expected}"
        return True

    return check


class Shop:
    def __init__(self, deployment: Deployment, *, timeout: float = 10.0) -> None:
        self.deployment = deployment
        self.http = httpx.AsyncClient(timeout=timeout)
        self._admin = {"Authorization": f"Bearer {deployment.admin_token}"}

    async def __aenter__(self) -> Shop:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.http.aclose()

    def _url(self, service: str, path: str) -> str:
        return f"{self.deployment.url(service)}{path}"

    # -- checkout ----------------------------------------------------------------------

    @staticmethod
    def new_customer() -> Json:
        """A customer no run has seen: payment's velocity rule counts per customer, and the
        mail sink is searched by address."""
        tag = uuid.uuid4().hex[:12]
        return {"id": f"cus_e2e_{tag}", "email": f"e2e-{tag}@example.com"}

    @staticmethod
    def checkout_body(
        customer: Json, items: Sequence[tuple[str, int]], *, token: str = "tok_visa"
    ) -> Json:
        return {
            "customer": customer,
            "items": [{"sku": sku, "quantity": quantity} for sku, quantity in items],
            "shipping_address": ADDRESS,
            "payment": {"token": token},
            "currency": "EUR",
        }

    async def checkout(
        self, customer: Json, items: Sequence[tuple[str, int]], *, token: str = "tok_visa"
    ) -> httpx.Response:
        return await self.post_checkout(self.checkout_body(customer, items, token=token))

    async def post_checkout(self, body: Json, key: str | None = None) -> httpx.Response:
        """POST /v1/checkouts with `key` (a fresh one by default); counts confirmed orders."""
        headers = {"Idempotency-Key": key or f"e2e-{uuid.uuid4().hex}"}
        response = await self.http.post(
            self._url("checkout", "/v1/checkouts"), json=body, headers=headers
        )
        if response.status_code == 201:
            REPORT.order_placed(response.json()["order_id"])
        return response

    async def timed_checkout(
        self, customer: Json, items: Sequence[tuple[str, int]], *, token: str = "tok_visa"
    ) -> tuple[httpx.Response, float]:
        """A checkout and how long its answer took, in seconds."""
        started = time.perf_counter()
        response = await self.checkout(customer, items, token=token)
        return response, time.perf_counter() - started

    async def place_order(
        self, customer: Json, items: Sequence[tuple[str, int]], *, token: str = "tok_visa"
    ) -> Json:
        """A checkout that must be confirmed (201)."""
        response = await self.checkout(customer, items, token=token)
        assert response.status_code == 201, f"checkout: {response.status_code} {response.text}"
        placed: Json = response.json()
        return placed

    async def order(self, order_id: str) -> Json:
        return await self._get("checkout", f"/v1/orders/{order_id}")

    async def cancel(self, order_id: str, reason: str | None = None) -> httpx.Response:
        body = {"reason": reason} if reason else None
        return await self.http.post(
            self._url("checkout", f"/v1/orders/{order_id}/cancel"), json=body
        )

    async def wait_for(
        self,
        order_id: str,
        check: OrderCheck,
        *,
        timeout: float = 30.0,  # noqa: ASYNC109  (a polling budget)
    ) -> Json:
        """The order once `check(order)` is truthy (and does not raise AssertionError)."""

        async def probe() -> Json:
            order = await self.order(order_id)
            assert check(order), f"not yet: {getattr(check, '__name__', check)}"
            return order

        try:
            return await eventually(probe, timeout=timeout, interval=0.2)
        except AssertionError:
            print(await self.evidence(order_id))
            raise

    async def wait_until(
        self,
        order_id: str,
        check: Callable[[], Any],
        *,
        timeout: float = 30.0,  # noqa: ASYNC109  (a polling budget)
    ) -> Any:
        """`eventually(check)` about an order; prints the order's evidence when it fails."""
        try:
            return await eventually(check, timeout=timeout, interval=0.2)
        except AssertionError:
            print(await self.evidence(order_id))
            raise

    async def evidence(self, order_id: str) -> str:
        """The order view, reconciliation's coordination state and what each service holds
        for the order, for a failure report."""
        parts = [f"\n=== order {order_id} did not converge"]
        reads: list[tuple[str, str, str]] = [
            ("checkout", "checkout", f"/v1/orders/{order_id}"),
            ("coordination", "reconciliation", f"/v1/coordination/orders/{order_id}"),
            ("fulfillment shipments", "fulfillment", f"/v1/shipments?order_id={order_id}"),
            ("fulfillment backorders", "fulfillment", f"/v1/backorders?order_id={order_id}"),
            ("communications", "communications", f"/v1/notifications?order_id={order_id}"),
        ]
        try:
            order = (await self.http.get(self._url("checkout", f"/v1/orders/{order_id}"))).json()
        except (httpx.HTTPError, ValueError):
            order = {}
        if order.get("reservation_id"):
            reads.append(("inventory", "inventory", f"/v1/reservations/{order['reservation_id']}"))
        if order.get("authorization_id"):
            reads.append(("payment", "payment", f"/v1/authorizations/{order['authorization_id']}"))
        for title, service, path in reads:
            try:
                response = await self.http.get(self._url(service, path))
                shown = f"{response.status_code} " + json.dumps(
                    response.json(), indent=1, default=str
                )
            except (httpx.HTTPError, ValueError) as exc:
                shown = f"unavailable: {exc!r}"
            parts.append(f"--- {title}:\n{shown}")
        return "\n".join(parts)

    # -- operations: faults, health, reconciliation, dead letters ------------------------

    async def set_faults(
        self, service: str, *, latency_ms: int = 0, error_rate: float = 0.0, refuse: bool = False
    ) -> None:
        body = {"latency_ms": latency_ms, "error_rate": error_rate, "refuse": refuse}
        response = await self.http.put(
            self._url(service, "/admin/faults"), json=body, headers=self._admin
        )
        assert response.status_code == 200, f"faults: {response.status_code} {response.text}"

    async def clear_faults(self, service: str) -> None:
        response = await self.http.delete(self._url(service, "/admin/faults"), headers=self._admin)
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

    async def coordination(self, order_id: str) -> Json | None:
        """Reconciliation's coordination state of the order (None: no event seen yet)."""
        response = await self.http.get(
            self._url("reconciliation", f"/v1/coordination/orders/{order_id}")
        )
        if response.status_code == 404:
            return None
        assert response.status_code == 200, response.text
        body: Json = response.json()
        return body

    async def reconcile(self, since: datetime, *, dry_run: bool = False) -> Json:
        """POST /v1/reconciliation/runs over [since, now): the finished run and findings."""
        response = await self.http.post(
            self._url("reconciliation", "/v1/reconciliation/runs"),
            json={"since": since.isoformat(), "dry_run": dry_run},
            headers=self._admin,
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

    async def internal_read(self, service: str, what: str, since: datetime) -> list[Json] | None:
        """Every row of an internal read (docs/reconciliation.md) created since `since`;
        None when the service does not serve that read."""
        items: list[Json] = []
        params: dict[str, str] = {"since": since.isoformat(), "limit": "1000"}
        while True:
            response = await self.http.get(
                self._url(service, f"/internal/v1/{what}"), params=params, headers=self._admin
            )
            if response.status_code == 404 and "cursor" not in params:
                return None
            assert response.status_code == 200, f"{what}: {response.status_code} {response.text}"
            page = response.json()
            items.extend(page["items"])
            if not page["next_cursor"]:
                return items
            params["cursor"] = page["next_cursor"]

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

    # -- the other services' public and admin reads --------------------------------------

    async def stock(self, sku: str) -> Json:
        return await self._get("inventory", f"/v1/stock/{sku}")

    async def reservation(self, reservation_id: str) -> Json:
        return await self._get("inventory", f"/v1/reservations/{reservation_id}")

    async def replenish(self, sku: str, quantity: int) -> Json:
        response = await self.http.post(
            self._url("inventory", f"/v1/stock/{sku}/replenish"),
            json={"quantity": quantity},
            headers=self._admin,
        )
        assert response.is_success, f"replenish: {response.status_code} {response.text}"
        replenished: Json = response.json()
        return replenished

    async def authorization(self, authorization_id: str) -> Json:
        return await self._get("payment", f"/v1/authorizations/{authorization_id}")

    async def shipments(self, order_id: str) -> list[Json]:
        found: list[Json] = (await self._get("fulfillment", f"/v1/shipments?order_id={order_id}"))[
            "shipments"
        ]
        return found

    async def backorders(self, order_id: str) -> list[Json]:
        found: list[Json] = (await self._get("fulfillment", f"/v1/backorders?order_id={order_id}"))[
            "backorders"
        ]
        return found

    async def warehouses(self) -> list[Json]:
        found: list[Json] = (await self._get("fulfillment", "/v1/warehouses"))["warehouses"]
        return found

    async def notifications(self, order_id: str) -> list[Json]:
        path = f"/v1/notifications?order_id={order_id}"
        found: list[Json] = (await self._get("communications", path))["notifications"]
        return found

    async def mails_to(self, address: str) -> list[Json]:
        """Messages in the SMTP sink (or Mailpit) addressed to `address`."""
        response = await self.http.get(
            f"{self.deployment.mail_url}/api/v1/search", params={"query": f"to:{address}"}
        )
        assert response.status_code == 200, response.text
        found: list[Json] = response.json()["messages"]
        return found

    async def mails(self) -> list[Json]:
        """Every message in the mail sink (its Mailpit-style list)."""
        response = await self.http.get(f"{self.deployment.mail_url}/api/v1/messages")
        assert response.status_code == 200, response.text
        found: list[Json] = response.json()["messages"]
        return found

    async def _get(self, service: str, path: str) -> Json:
        response = await self.http.get(self._url(service, path))
        assert response.status_code == 200, (
            f"GET {service}{path}: {response.status_code} {response.text}"
        )
        body: Json = response.json()
        return body

"""A client of the whole shop, as customers and operators see it: HTTP APIs and mail.

    async with Shop(deployment) as shop:
        customer = shop.new_customer()
        placed = await shop.place_order(customer, [("SKU-MUG-01", 2)])
        order = await shop.wait_for(placed["order_id"], status("COMPLETED"))

`wait_for` polls with `eventually`; when the condition is not met in time it prints the
order id, the order view and what every other service says about the order, then fails.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any

import httpx
from shop_testing.eventually import eventually

from shop_e2e.deployment import Deployment

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

    async def checkout(
        self, customer: Json, items: Sequence[tuple[str, int]], *, token: str = "tok_visa"
    ) -> httpx.Response:
        body = {
            "customer": customer,
            "items": [{"sku": sku, "quantity": quantity} for sku, quantity in items],
            "shipping_address": ADDRESS,
            "payment": {"token": token},
            "currency": "EUR",
        }
        headers = {"Idempotency-Key": f"e2e-{uuid.uuid4().hex}"}
        return await self.http.post(
            self._url("checkout", "/v1/checkouts"), json=body, headers=headers
        )

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
        """The order view and what each service holds for it, for a failure report."""
        parts = [f"\n=== order {order_id}"]
        reads: list[tuple[str, str, str]] = [
            ("checkout", "checkout", f"/v1/orders/{order_id}"),
            ("fulfillment shipments", "fulfillment", f"/v1/shipments?order_id={order_id}"),
            ("fulfillment backorders", "fulfillment", f"/v1/backorders?order_id={order_id}"),
            ("communications", "communications", f"/v1/notifications?order_id={order_id}"),
        ]
        for title, service, path in reads:
            try:
                response = await self.http.get(self._url(service, path))
                shown = json.dumps(response.json(), indent=1, default=str)
            except (httpx.HTTPError, ValueError) as exc:
                shown = f"unavailable: {exc!r}"
            parts.append(f"--- {title}:\n{shown}")
        return "\n".join(parts)

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

    async def _get(self, service: str, path: str) -> Json:
        response = await self.http.get(self._url(service, path))
        assert response.status_code == 200, (
            f"GET {service}{path}: {response.status_code} {response.text}"
        )
        body: Json = response.json()
        return body

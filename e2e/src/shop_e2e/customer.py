"""What a customer does: check out, read an order, cancel it.

customer = shop.new_customer()
placed = await shop.place_order(customer, [("SKU-MUG-01", 2)])
response = await shop.post_checkout(body, correlation_id="e2e-corr-1")
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence

import httpx

from shop_e2e.client import Json, ShopClient
from shop_e2e.report import REPORT

ADDRESS = {
    "name": "Grace Hopper",
    "line1": "1 Harbour Way",
    "city": "Berlin",
    "postal_code": "10115",
    "country": "DE",
}


class CustomerApi(ShopClient):
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

    async def post_checkout(
        self,
        body: Json,
        key: str | None = None,
        *,
        correlation_id: str | None = None,
        traceparent: str | None = None,
    ) -> httpx.Response:
        """POST /v1/checkouts with `key` (a fresh one by default) and, when given, an
        X-Correlation-Id and a W3C traceparent; counts confirmed orders."""
        headers = {"Idempotency-Key": key or f"e2e-{uuid.uuid4().hex}"}
        if correlation_id is not None:
            headers["X-Correlation-Id"] = correlation_id
        if traceparent is not None:
            headers["traceparent"] = traceparent
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

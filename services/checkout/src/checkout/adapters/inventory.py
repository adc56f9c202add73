"""Inventory over HTTP: hold stock for an order, release it; refusals become `OutOfStock`."""

from __future__ import annotations

from shop_http import Budget, Dependency

from checkout.adapters.problems import json_of, problem_of, unexpected
from checkout.domain.orders import HoldEnded, Items, OutOfStock, Refusal, UnknownSkus


class HttpInventory:
    def __init__(
        self, dependency: Dependency, *, ttl_seconds: int, timeout: float | None = None
    ) -> None:
        self.dependency = dependency
        self.ttl_seconds = ttl_seconds
        self.timeout = timeout

    def ensure_available(self) -> None:
        self.dependency.breaker.check()

    async def reserve(self, order_id: str, items: Items, budget: Budget) -> str:
        body = {
            "order_id": order_id,
            "items": [{"sku": sku, "quantity": quantity} for sku, quantity in items],
            "ttl_seconds": self.ttl_seconds,
        }
        # Inventory returns the same hold for the same order id: safe to retry.
        response = await self.dependency.request(
            "POST",
            "/v1/reservations",
            json=body,
            budget=budget,
            idempotent=True,
            timeout=self.timeout,
        )
        if response.status_code in (200, 201):
            return str(json_of("inventory", response)["reservation_id"])
        slug, problem = problem_of(response)
        if response.status_code == 409 and slug == "out-of-stock":
            shortages = problem.get("shortages") or [{"sku": s} for s in problem.get("skus", [])]
            raise OutOfStock(sorted(str(s["sku"]) for s in shortages))
        if response.status_code == 404 and slug == "unknown-sku":
            raise UnknownSkus([str(s) for s in problem.get("skus", [])])
        if response.status_code == 409 and slug == "reservation-ended":
            # A retry that came after the order's hold was released or expired.
            raise Refusal("hold-ended", "the order's hold ended; check out again with a new key")
        raise unexpected("inventory", response)

    async def confirm(self, order_id: str, budget: Budget) -> None:
        response = await self.dependency.request(
            "POST",
            f"/v1/reservations/by-order/{order_id}/confirm",
            budget=budget,
            idempotent=True,
            timeout=self.timeout,
        )
        if response.status_code == 200:
            return
        slug, _ = problem_of(response)
        if response.status_code == 409 and slug == "reservation-ended":
            raise HoldEnded(order_id)
        raise unexpected("inventory", response)

    async def release(self, order_id: str, reservation_id: str | None, budget: Budget) -> None:
        path = (
            f"/v1/reservations/{reservation_id}"
            if reservation_id
            else f"/v1/reservations/by-order/{order_id}/release"
        )
        method = "DELETE" if reservation_id else "POST"
        response = await self.dependency.request(
            method, path, budget=budget, idempotent=True, timeout=self.timeout
        )
        # 404: the hold never came to be; nothing to release.
        if response.status_code in (200, 204, 404):
            return
        raise unexpected("inventory", response)

"""Payment over HTTP: authorize an order's amount, void it; refusals become typed errors."""

from __future__ import annotations

from shop_http import Budget, Dependency

from checkout.adapters.problems import json_of, problem_of, unexpected
from checkout.domain.orders import FraudSuspected, PaymentDeclined, Refusal


class HttpPayment:
    def __init__(self, dependency: Dependency, *, timeout: float | None = None) -> None:
        self.dependency = dependency
        self.timeout = timeout

    def ensure_available(self) -> None:
        self.dependency.breaker.check()

    async def authorize(
        self,
        order_id: str,
        customer_id: str,
        amount: int,
        currency: str,
        token: str,
        budget: Budget,
    ) -> str:
        body = {
            "order_id": order_id,
            "customer_id": customer_id,
            "amount": amount,
            "currency": currency,
            "token": token,
        }
        # Payment returns the same authorization for the same order id: safe to retry.
        response = await self.dependency.request(
            "POST",
            "/v1/authorizations",
            json=body,
            budget=budget,
            idempotent=True,
            timeout=self.timeout,
        )
        if response.status_code in (200, 201):
            return str(json_of("payment", response)["authorization_id"])
        slug, problem = problem_of(response)
        if response.status_code == 402 and slug == "fraud-suspected":
            raise FraudSuspected()
        if response.status_code == 402:
            raise PaymentDeclined(str(problem.get("detail") or "the payment was declined"))
        if response.status_code == 422 and slug == "invalid-token":
            raise Refusal("invalid-payment-token", "the payment token is not valid")
        raise unexpected("payment", response)

    async def void(self, order_id: str, budget: Budget) -> None:
        response = await self.dependency.request(
            "POST",
            f"/v1/authorizations/by-order/{order_id}/void",
            budget=budget,
            idempotent=True,
            timeout=self.timeout,
        )
        # 404: nothing was ever authorized for the order; nothing to void.
        if response.status_code in (200, 404):
            return
        raise unexpected("payment", response)

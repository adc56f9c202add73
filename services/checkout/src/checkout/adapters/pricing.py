"""Pricing over HTTP: a cart in, a `PricedCart` or a typed refusal out."""

from __future__ import annotations

from shop_http import Budget, Dependency, DependencyUnavailable

from checkout.adapters.problems import json_of, problem_of, unexpected
from checkout.domain.orders import Items, OrderLine, PricedCart, Refusal, UnknownSkus


class HttpPricing:
    def __init__(self, dependency: Dependency, *, timeout: float | None = None) -> None:
        self.dependency = dependency
        self.timeout = timeout

    def ensure_available(self) -> None:
        self.dependency.breaker.check()

    async def quote(self, items: Items, currency: str, country: str, budget: Budget) -> PricedCart:
        body = {
            "items": [{"sku": sku, "quantity": quantity} for sku, quantity in items],
            "currency": currency,
            "country": country,
        }
        # A quote has no side effect anyone relies on: safe to retry.
        response = await self.dependency.request(
            "POST", "/v1/quotes", json=body, budget=budget, idempotent=True, timeout=self.timeout
        )
        if response.status_code == 201:
            return _priced(json_of("pricing", response))
        slug, problem = problem_of(response)
        if response.status_code == 404 and slug == "unknown-sku":
            return _raise(UnknownSkus([str(s) for s in problem.get("skus", [])]))
        if response.status_code == 422 and slug in ("unsupported-currency", "unsupported-country"):
            raise Refusal(slug, str(problem.get("detail", slug)))
        raise unexpected("pricing", response)


def _raise(error: Exception) -> PricedCart:
    raise error


def _priced(quote: dict[str, object]) -> PricedCart:
    try:
        lines = tuple(
            OrderLine(
                sku=line["sku"],
                name=line["name"],
                quantity=line["quantity"],
                unit_price=line["unit_price"]["amount"],
            )
            for line in quote["lines"]  # type: ignore[attr-defined]
        )
        return PricedCart(
            quote_id=str(quote["quote_id"]),
            lines=lines,
            subtotal=int(quote["subtotal"]["amount"]),  # type: ignore[index]
            shipping=int(quote["shipping"]["amount"]),  # type: ignore[index]
            tax=int(quote["tax"]["amount"]),  # type: ignore[index]
            total=int(quote["total"]["amount"]),  # type: ignore[index]
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DependencyUnavailable("pricing", f"malformed quote: {exc!r}") from exc

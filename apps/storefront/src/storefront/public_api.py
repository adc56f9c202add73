"""The shop's public API as the storefront calls it: catalog, checkout, orders, emails.

    api = PublicApi(clients)
    products = await api.products()
    placed = await api.place_order(token, body, idempotency_key)

Every call is one a customer's own client could make (a backend-for-frontend): public
routes anonymously, the rest with the signed-in customer's bearer token. A problem answer
becomes `ShopRefused` carrying the problem's `type` and `title`, so pages show the shop's
own words; an unreachable service becomes `ShopUnavailable`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

Json = dict[str, Any]


class ShopUnavailable(Exception):
    """The public API did not answer (down, or over the storefront's timeout)."""


class ShopRefused(Exception):
    """The public API answered with a problem (declined card, out of stock, ...)."""

    def __init__(self, status: int, problem: Json) -> None:
        self.status = status
        self.type = str(problem.get("type", "about:blank")).rsplit("/", 1)[-1]
        self.title = str(problem.get("title", "The shop refused the request"))
        self.detail = str(problem.get("detail") or "")
        super().__init__(f"{status} {self.type}: {self.title}")


@dataclass(frozen=True)
class Clients:
    checkout: httpx.AsyncClient
    pricing: httpx.AsyncClient
    inventory: httpx.AsyncClient
    communications: httpx.AsyncClient

    async def aclose(self) -> None:
        for client in (self.checkout, self.pricing, self.inventory, self.communications):
            await client.aclose()


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class PublicApi:
    def __init__(self, clients: Clients) -> None:
        self._c = clients

    async def products(self) -> list[Json]:
        body = await self._call(self._c.pricing, "GET", "/v1/products")
        return list(body["products"])

    async def stock(self, sku: str) -> Json | None:
        try:
            return await self._call(self._c.inventory, "GET", f"/v1/stock/{sku}")
        except ShopRefused:
            return None

    async def place_order(self, token: str, body: Json, idempotency_key: str) -> Json:
        headers = {**_bearer(token), "Idempotency-Key": idempotency_key}
        return await self._call(
            self._c.checkout, "POST", "/v1/checkouts", json=body, headers=headers
        )

    async def order(self, token: str, order_id: str) -> Json:
        return await self._call(
            self._c.checkout, "GET", f"/v1/orders/{order_id}", headers=_bearer(token)
        )

    async def notifications(self, token: str, order_id: str) -> list[Json]:
        body = await self._call(
            self._c.communications,
            "GET",
            "/v1/notifications",
            params={"order_id": order_id},
            headers=_bearer(token),
        )
        return list(body["notifications"])

    async def _call(self, client: httpx.AsyncClient, method: str, path: str, **kwargs: Any) -> Json:
        try:
            response = await client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise ShopUnavailable(f"{method} {client.base_url}{path}: {exc!r}") from exc
        if response.status_code >= 400:
            try:
                problem = response.json()
            except ValueError:
                problem = {"title": response.reason_phrase}
            raise ShopRefused(response.status_code, problem if isinstance(problem, dict) else {})
        result: Json = response.json()
        return result

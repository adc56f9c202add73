"""What the other services say about an order: their public reads and the internal reads
reconciliation pages through.

    [shipment] = await shop.shipments(order_id)
    rows = await shop.internal_read("inventory", "reservations", since)
"""

from __future__ import annotations

from datetime import datetime

from shop_e2e.client import Json, ShopClient


class ServiceReads(ShopClient):
    async def stock(self, sku: str) -> Json:
        return await self._get("inventory", f"/v1/stock/{sku}")

    async def reservation(self, reservation_id: str) -> Json:
        return await self._get("inventory", f"/v1/reservations/{reservation_id}")

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

    async def internal_read(self, service: str, what: str, since: datetime) -> list[Json] | None:
        """Every row of an internal read (docs/reconciliation.md) created since `since`;
        None when the service does not serve that read."""
        items: list[Json] = []
        params: dict[str, str] = {"since": since.isoformat(), "limit": "1000"}
        while True:
            response = await self.http.get(
                self._url(service, f"/internal/v1/{what}"), params=params
            )
            if response.status_code == 404 and "cursor" not in params:
                return None
            assert response.status_code == 200, f"{what}: {response.status_code} {response.text}"
            page = response.json()
            items.extend(page["items"])
            if not page["next_cursor"]:
                return items
            params["cursor"] = page["next_cursor"]

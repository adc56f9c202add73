"""Returns as their actors make them: the order's owner asks, the warehouse receives.

ret = await shop.request_return(customer, order_id, [("SKU-MUG-01", 1)])
await shop.receive_return(ret["return_id"])
done = await shop.wait_for_return(customer, ret["return_id"], returned_status("REFUNDED"))
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence

import httpx
from shop_testing.eventually import eventually

from shop_e2e.client import Json, ShopClient

ReturnCheck = Callable[[Json], bool]


def returned_status(*expected: str) -> ReturnCheck:
    def check(ret: Json) -> bool:
        return ret["status"] in expected

    check.__name__ = f"return status in {expected}"
    return check


class ReturnsApi(ShopClient):
    async def post_return(
        self,
        customer: Json,
        order_id: str,
        lines: Sequence[tuple[str, int]],
        key: str | None = None,
    ) -> httpx.Response:
        """POST /v1/returns as the customer (their own bearer token), a fresh key by default."""
        headers = {
            **self.auth.customer_headers(customer["id"]),
            "Idempotency-Key": key or f"e2e-ret-{uuid.uuid4().hex}",
        }
        body = {
            "order_id": order_id,
            "lines": [{"sku": sku, "quantity": quantity} for sku, quantity in lines],
        }
        return await self.http.post(self._url("returns", "/v1/returns"), json=body, headers=headers)

    async def request_return(
        self, customer: Json, order_id: str, lines: Sequence[tuple[str, int]]
    ) -> Json:
        """A return that must be accepted (201); retried while returns has not yet learnt
        the order's shipment (its events travel on their own clock)."""

        async def accepted() -> Json:
            response = await self.post_return(customer, order_id, lines, key=key)
            assert response.status_code == 201, f"return: {response.status_code} {response.text}"
            created: Json = response.json()
            return created

        key = f"e2e-ret-{uuid.uuid4().hex}"  # one key: a retry is the same request
        return await eventually(accepted, timeout=30, interval=0.3)

    async def return_of(self, customer: Json, return_id: str) -> Json:
        response = await self.http.get(
            self._url("returns", f"/v1/returns/{return_id}"),
            headers=self.auth.customer_headers(customer["id"]),
        )
        assert response.status_code == 200, f"return: {response.status_code} {response.text}"
        found: Json = response.json()
        return found

    async def receive_return(self, return_id: str) -> Json:
        """The warehouse's call (an operator's credential)."""
        response = await self.http.post(self._url("returns", f"/v1/returns/{return_id}/receive"))
        assert response.status_code == 200, f"receive: {response.status_code} {response.text}"
        received: Json = response.json()
        return received

    async def wait_for_return(
        self,
        customer: Json,
        return_id: str,
        check: ReturnCheck,
        *,
        timeout: float = 30.0,  # noqa: ASYNC109  (a polling budget)
    ) -> Json:
        async def probe() -> Json:
            ret = await self.return_of(customer, return_id)
            assert check(ret), f"not yet: {getattr(check, '__name__', check)}: {ret}"
            return ret

        return await eventually(probe, timeout=timeout, interval=0.3)

"""What every part of the shop client shares: one httpx client, the URLs, the credentials
(shop_auth.ShopAuth: each call signed as the caller its route admits).

    class Mailbox(ShopClient):
        async def mails(self) -> list[Json]: ...

`Shop` (shop.py) is the one class tests use; the parts it is made of are split by who would
make the call: a customer (customer.py), an operator (operations.py), another service's
reads (reads.py), the mail sink (mail.py).
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

import httpx
from shop_auth import ShopAuth

from shop_e2e.deployment import Deployment

Json = dict[str, Any]


class ShopClient:
    def __init__(self, deployment: Deployment, *, timeout: float = 10.0) -> None:
        self.deployment = deployment
        self.auth = ShopAuth(deployment.urls)
        self.http = httpx.AsyncClient(timeout=timeout, auth=self.auth)

    async def __aenter__(self) -> Self:
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

    async def _get(self, service: str, path: str) -> Json:
        response = await self.http.get(self._url(service, path))
        assert response.status_code == 200, (
            f"GET {service}{path}: {response.status_code} {response.text}"
        )
        body: Json = response.json()
        return body

"""Outbound credentials for httpx clients: every request carries a fresh-enough token.

httpx.AsyncClient(base_url=url, auth=BearerAuth(minter, "inventory"))
"""

from collections.abc import Generator

import httpx

from shop_auth.tokens import Minter


class BearerAuth(httpx.Auth):
    """`Authorization: Bearer <token for audience>`, signed by `minter`'s identity."""

    def __init__(self, minter: Minter, audience: str, subject: str | None = None) -> None:
        self._minter = minter
        self._audience = audience
        self._subject = subject

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = (
            f"Bearer {self._minter.token(self._audience, self._subject)}"
        )
        yield request

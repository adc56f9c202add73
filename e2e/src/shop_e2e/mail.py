"""The mail sink (the embedded SMTP sink or Mailpit), through its Mailpit-style API.

[mail] = await shop.mails_to(customer["email"])
"""

from __future__ import annotations

from shop_e2e.client import Json, ShopClient


class Mailbox(ShopClient):
    async def mails_to(self, address: str) -> list[Json]:
        """Messages in the mail sink addressed to `address`."""
        response = await self.http.get(
            f"{self.deployment.mail_url}/api/v1/search", params={"query": f"to:{address}"}
        )
        assert response.status_code == 200, response.text
        found: list[Json] = response.json()["messages"]
        return found

    async def mails(self) -> list[Json]:
        """Every message in the mail sink (its Mailpit-style list)."""
        response = await self.http.get(f"{self.deployment.mail_url}/api/v1/messages")
        assert response.status_code == 200, response.text
        found: list[Json] = response.json()["messages"]
        return found

"""Waiting for an order to reach a state, and saying why when it does not.

    order = await shop.wait_for(placed["order_id"], status("COMPLETED"))

`wait_for` polls with `eventually`; when the condition is not met in time it prints the
order id, the order view and what every other service says about the order, then fails.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
from shop_testing.eventually import eventually

from shop_e2e.client import Json
from shop_e2e.customer import CustomerApi

OrderCheck = Callable[[Json], object]


def status(*expected: str) -> OrderCheck:
    """A check that the order's status is one of `expected`."""

    def check(order: Json) -> bool:
        assert order["status"] in expected, f"status {order['status']}, waiting for {expected}"
        return True

    return check


class OrderWaits(CustomerApi):
    async def wait_for(
        self,
        order_id: str,
        check: OrderCheck,
        *,
        timeout: float = 30.0,  # noqa: ASYNC109  (a polling budget)
    ) -> Json:
        """The order once `check(order)` is truthy (and does not raise AssertionError)."""

        async def probe() -> Json:
            order = await self.order(order_id)
            assert check(order), f"not yet: {getattr(check, '__name__', check)}"
            return order

        try:
            return await eventually(probe, timeout=timeout, interval=0.2)
        except AssertionError:
            print(await self.evidence(order_id))
            raise

    async def wait_until(
        self,
        order_id: str,
        check: Callable[[], Any],
        *,
        timeout: float = 30.0,  # noqa: ASYNC109  (a polling budget)
    ) -> Any:
        """`eventually(check)` about an order; prints the order's evidence when it fails."""
        try:
            return await eventually(check, timeout=timeout, interval=0.2)
        except AssertionError:
            print(await self.evidence(order_id))
            raise

    async def evidence(self, order_id: str) -> str:
        """The order view, reconciliation's coordination state and what each service holds
        for the order, for a failure report."""
        parts = [f"\n=== order {order_id} did not converge"]
        reads: list[tuple[str, str, str]] = [
            ("checkout", "checkout", f"/v1/orders/{order_id}"),
            ("coordination", "reconciliation", f"/v1/coordination/orders/{order_id}"),
            ("fulfillment shipments", "fulfillment", f"/v1/shipments?order_id={order_id}"),
            ("fulfillment backorders", "fulfillment", f"/v1/backorders?order_id={order_id}"),
            ("communications", "communications", f"/v1/notifications?order_id={order_id}"),
        ]
        try:
            order = (await self.http.get(self._url("checkout", f"/v1/orders/{order_id}"))).json()
        except (httpx.HTTPError, ValueError):
            order = {}
        if order.get("reservation_id"):
            reads.append(("inventory", "inventory", f"/v1/reservations/{order['reservation_id']}"))
        if order.get("authorization_id"):
            reads.append(("payment", "payment", f"/v1/authorizations/{order['authorization_id']}"))
        for title, service, path in reads:
            try:
                response = await self.http.get(self._url(service, path))
                # One line per service: a CI log shows a failure's start and end only.
                shown = f"{response.status_code} " + json.dumps(
                    response.json(), separators=(",", ":"), default=str
                )
            except (httpx.HTTPError, ValueError) as exc:
                shown = f"unavailable: {exc!r}"
            parts.append(f"--- {title}:\n{shown}")
        return "\n".join(parts)

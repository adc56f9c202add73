"""The other services a checkout calls, as Protocols (adapters/ over HTTP; fakes in tests).

Checkout's own database is no port: application code opens its transactions and the
adapters hold its SQL (docs/architecture.md, "Persistence"). Adapters raise the domain's
`CheckoutRejected` kinds for definitive answers and shop_http's `DependencyError` kinds when
a dependency gave no usable answer; never httpx.
"""

from __future__ import annotations

from typing import Protocol

from shop_http import Budget

from checkout.domain.orders import Items, PricedCart


class Pricing(Protocol):
    def ensure_available(self) -> None:
        """Raise CircuitOpen if a call now would be refused by the breaker."""

    async def quote(self, items: Items, currency: str, country: str, budget: Budget) -> PricedCart:
        """Raises UnknownSkus, Refusal."""


class Inventory(Protocol):
    def ensure_available(self) -> None: ...

    async def reserve(self, order_id: str, items: Items, budget: Budget) -> str:
        """Hold stock for the order; return the reservation id. Raises OutOfStock, UnknownSkus,
        and Refusal("hold-ended") when the order's hold already ended (a late retry)."""

    async def confirm(self, order_id: str, budget: Budget) -> None:
        """Keep the order's hold until it ships (its TTL no longer applies). Raises HoldEnded."""

    async def release(self, order_id: str, reservation_id: str | None, budget: Budget) -> None:
        """Release the order's hold (by id, or by order id when the id never came back)."""


class Payment(Protocol):
    def ensure_available(self) -> None: ...

    async def authorize(
        self,
        order_id: str,
        customer_id: str,
        amount: int,
        currency: str,
        token: str,
        budget: Budget,
    ) -> str:
        """Return the authorization id. Raises PaymentDeclined, FraudSuspected, PaymentRefused."""

    async def void(self, order_id: str, budget: Budget) -> None:
        """Void whatever the order has authorized; nothing authorized is fine."""

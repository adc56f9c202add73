"""What the checkout use case needs from the outside world, as Protocols (fakes in tests).

Adapters raise the domain's `CheckoutRejected` kinds for definitive answers and
shop_http's `DependencyError` kinds when a dependency gave no usable answer; never httpx.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from shop_http import Budget

from checkout.domain.orders import Order, PricedCart

Items = list[tuple[str, int]]


class Pricing(Protocol):
    def ensure_available(self) -> None:
        """Raise CircuitOpen if a call now would be refused by the breaker."""

    async def quote(self, items: Items, currency: str, country: str, budget: Budget) -> PricedCart:
        """Raises UnknownSkus, Refusal."""


class Inventory(Protocol):
    def ensure_available(self) -> None: ...

    async def reserve(self, order_id: str, items: Items, budget: Budget) -> str:
        """Hold stock for the order; return the reservation id. Raises OutOfStock, UnknownSkus."""

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


@dataclass(frozen=True)
class StoredResponse:
    """An HTTP answer as the idempotency record keeps it."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Claimed:
    """The key is ours: run the checkout."""


@dataclass(frozen=True)
class Replay:
    response: StoredResponse


@dataclass(frozen=True)
class InProgress:
    """Another request with this key is running (or crashed less than the lock ago)."""


@dataclass(frozen=True)
class KeyReused:
    """The key was first used with another request body."""


Claim = Claimed | Replay | InProgress | KeyReused


class Store(Protocol):
    """Checkout's own database: orders, timeline, outbox and idempotency keys."""

    async def claim(self, key: str, fingerprint: str) -> Claim:
        """Claim the key in its own transaction (committed before any call goes out)."""

    async def confirm(self, order: Order, key: str, response: StoredResponse) -> None:
        """In ONE transaction: the order, its lines and timeline, OrderConfirmed in the
        outbox, and the key completed with `response`."""

    async def reject(
        self, order: Order, key: str, response: StoredResponse | None, *, compensating: bool
    ) -> None:
        """Store the REJECTED order (compensation PENDING if `compensating`); complete the
        key with `response`, or release it (None: transient, the client may retry the key)."""

    async def release(self, key: str) -> None: ...

    async def record_compensation(self, order_id: str, failures: list[str]) -> None:
        """Note on the order whether undoing its held steps worked (for reconciliation)."""

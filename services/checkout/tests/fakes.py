"""Fakes of the checkout's ports (application/ports.py): they record every call in one
shared journal. Unit tests use them alone; the stored-path tests with a real database."""

from __future__ import annotations

from dataclasses import dataclass, field

from checkout.domain.orders import Items, OrderLine, PricedCart
from shop_http import Budget


@dataclass
class Journal:
    calls: list[str] = field(default_factory=list)


class FakePricing:
    def __init__(self, journal: Journal, error: Exception | None = None) -> None:
        self.journal, self.error, self.open = journal, error, None

    def ensure_available(self) -> None:
        if self.open:
            raise self.open

    async def quote(self, items: Items, currency: str, country: str, budget: Budget) -> PricedCart:
        self.journal.calls.append("quote")
        if self.error:
            raise self.error
        lines = tuple(OrderLine(sku, sku.title(), qty, 1000) for sku, qty in items)
        subtotal = sum(line.line_total for line in lines)
        return PricedCart("qt_1", lines, subtotal, 499, 100, subtotal + 599)


class FakeInventory:
    def __init__(self, journal: Journal, error: Exception | None = None) -> None:
        self.journal, self.error, self.open = journal, error, None
        self.release_error: Exception | None = None

    def ensure_available(self) -> None:
        if self.open:
            raise self.open

    async def reserve(self, order_id: str, items: Items, budget: Budget) -> str:
        self.journal.calls.append("reserve")
        if self.error:
            raise self.error
        return "res_1"

    async def release(self, order_id: str, reservation_id: str | None, budget: Budget) -> None:
        self.journal.calls.append(f"release:{reservation_id or 'by-order'}")
        if self.release_error:
            raise self.release_error

    async def confirm(self, order_id: str, budget: Budget) -> None:
        self.journal.calls.append("confirm-hold")


class FakePayment:
    def __init__(self, journal: Journal, error: Exception | None = None) -> None:
        self.journal, self.error, self.open = journal, error, None
        self.void_error: Exception | None = None

    def ensure_available(self) -> None:
        if self.open:
            raise self.open

    async def authorize(
        self,
        order_id: str,
        customer_id: str,
        amount: int,
        currency: str,
        token: str,
        budget: Budget,
    ) -> str:
        self.journal.calls.append("authorize")
        if self.error:
            raise self.error
        return "auth_1"

    async def void(self, order_id: str, budget: Budget) -> None:
        self.journal.calls.append("void")
        if self.void_error:
            raise self.void_error


@dataclass
class World:
    journal: Journal
    pricing: FakePricing
    inventory: FakeInventory
    payment: FakePayment


def new_world() -> World:
    journal = Journal()
    return World(journal, FakePricing(journal), FakeInventory(journal), FakePayment(journal))

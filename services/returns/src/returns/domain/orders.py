"""What returns knows of an order: what was bought, at what price, and what shipped.

    order = ReturnableOrder("ord_1", "cus_1", "EUR", total=2500, lines=(...,), shipped={...},
                            shipped_at=t)
    order.returnable_quantity("SKU-MUG-01", returned=0)

Returns' own copy, built from OrderConfirmed and ShipmentCreated (ADR 0015): it never
reads checkout's or fulfillment's tables, and never needs the customer's email. Plain
rules, standard library only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class OrderedLine:
    sku: str
    quantity: int
    unit_price: int  # minor units of the order's currency


@dataclass(frozen=True)
class ReturnableOrder:
    order_id: str
    customer_id: str
    currency: str
    # What the customer paid (lines, shipping, tax): the basis of every refund's share.
    total: int
    lines: tuple[OrderedLine, ...]
    # Units shipped per SKU, over every shipment of the order; empty until one shipped.
    shipped: Mapping[str, int] = field(default_factory=dict)
    shipped_at: datetime | None = None

    @property
    def subtotal(self) -> int:
        return sum(line.unit_price * line.quantity for line in self.lines)

    def line(self, sku: str) -> OrderedLine | None:
        return next((line for line in self.lines if line.sku == sku), None)

    def value_of(self, quantities: Mapping[str, int]) -> int:
        """What `quantities` (sku -> units) cost at the order's unit prices."""
        total = 0
        for sku, quantity in quantities.items():
            line = self.line(sku)
            total += 0 if line is None else line.unit_price * quantity
        return total


def merge_lines(lines: list[tuple[str, int, int]]) -> tuple[OrderedLine, ...]:
    """One line per SKU (an order may list a SKU twice), in first-seen order."""
    merged: dict[str, OrderedLine] = {}
    for sku, quantity, unit_price in lines:
        seen = merged.get(sku)
        merged[sku] = (
            OrderedLine(sku, quantity, unit_price)
            if seen is None
            else OrderedLine(sku, seen.quantity + quantity, unit_price)
        )
    return tuple(merged.values())

"""Which warehouse ships an order, or why none can. Plain rules, standard library only.

An order ships whole from one warehouse (one order, one shipment): the highest-priority
warehouse (priority 1 first) that holds every line wins. When none does, the order is
backordered, naming the SKUs that the warehouse closest to shipping it is short of, so a
replenishment of exactly those SKUs there releases it.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Line:
    sku: str
    quantity: int


@dataclass(frozen=True)
class Warehouse:
    id: str
    name: str
    country: str
    priority: int
    on_hand: Mapping[str, int]

    def shortfalls(self, lines: Iterable[Line]) -> list[str]:
        """The SKUs of `lines` this warehouse cannot pick in full, sorted."""
        return sorted(line.sku for line in lines if self.on_hand.get(line.sku, 0) < line.quantity)

    def picked(self, lines: Iterable[Line]) -> "Warehouse":
        """This warehouse after `lines` left its bins."""
        on_hand = dict(self.on_hand)
        for line in lines:
            on_hand[line.sku] = on_hand.get(line.sku, 0) - line.quantity
        return replace(self, on_hand=on_hand)

    def received(self, sku: str, quantity: int) -> "Warehouse":
        """This warehouse after `quantity` of `sku` arrived."""
        return replace(self, on_hand={**self.on_hand, sku: self.on_hand.get(sku, 0) + quantity})


@dataclass(frozen=True)
class Allocated:
    warehouse_id: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Backordered:
    skus_short: tuple[str, ...]
    lines: tuple[Line, ...]


Allocation = Allocated | Backordered


def merge_lines(lines: Iterable[Line]) -> tuple[Line, ...]:
    """One line per SKU (quantities summed), in SKU order; refuses non-positive quantities."""
    totals: dict[str, int] = {}
    for line in lines:
        if line.quantity <= 0:
            raise ValueError(f"quantity of {line.sku} must be positive, got {line.quantity}")
        totals[line.sku] = totals.get(line.sku, 0) + line.quantity
    return tuple(Line(sku, quantity) for sku, quantity in sorted(totals.items()))


def allocate(lines: Iterable[Line], warehouses: Iterable[Warehouse]) -> Allocation:
    """Pick the warehouse that ships `lines`, or declare the backorder."""
    wanted = merge_lines(lines)
    if not wanted:
        raise ValueError("an order to allocate has at least one line")
    # Ties on priority fall back to the id, so the choice never depends on query order.
    ranked = sorted(warehouses, key=lambda w: (w.priority, w.id))
    for warehouse in ranked:
        if not warehouse.shortfalls(wanted):
            return Allocated(warehouse.id, wanted)
    if not ranked:
        return Backordered(tuple(line.sku for line in wanted), wanted)
    closest = min(ranked, key=lambda w: len(w.shortfalls(wanted)))  # min keeps priority order
    return Backordered(tuple(closest.shortfalls(wanted)), wanted)

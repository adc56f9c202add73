"""Reads and writes of warehouses and their bin stock, in the caller's session (its transaction).

Bin rows are always locked in (warehouse, SKU) order, so an allocation and a replenishment
touching the same bins queue behind each other instead of deadlocking.
"""

from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from fulfillment.adapters.tables import bin_stock, warehouses
from fulfillment.domain.allocation import Line, Warehouse


async def list_warehouses(session: AsyncSession) -> list[Warehouse]:
    """Every warehouse with its bin stock, highest priority first."""
    rows = await session.execute(
        select(warehouses, bin_stock.c.sku, bin_stock.c.on_hand)
        .outerjoin(bin_stock, bin_stock.c.warehouse_id == warehouses.c.id)
        .order_by(warehouses.c.priority, warehouses.c.id, bin_stock.c.sku)
    )
    found: dict[str, tuple[Warehouse, dict[str, int]]] = {}
    for row in rows:
        if row.id not in found:
            stock: dict[str, int] = {}
            found[row.id] = (Warehouse(row.id, row.name, row.country, row.priority, stock), stock)
        if row.sku is not None:
            found[row.id][1][row.sku] = row.on_hand
    return [warehouse for warehouse, _ in found.values()]


async def lock_stock(session: AsyncSession, skus: Iterable[str]) -> list[Warehouse]:
    """Every warehouse, highest priority first, with its stock of `skus` only; those bin
    rows stay locked until the transaction ends."""
    locked = await session.execute(
        select(bin_stock)
        .where(bin_stock.c.sku.in_(sorted(set(skus))))
        .order_by(bin_stock.c.warehouse_id, bin_stock.c.sku)
        .with_for_update()
    )
    stock: dict[str, dict[str, int]] = {}
    for row in locked:
        stock.setdefault(row.warehouse_id, {})[row.sku] = row.on_hand
    rows = await session.execute(
        select(warehouses).order_by(warehouses.c.priority, warehouses.c.id)
    )
    return [
        Warehouse(row.id, row.name, row.country, row.priority, stock.get(row.id, {}))
        for row in rows
    ]


async def take_stock(session: AsyncSession, warehouse_id: str, lines: Iterable[Line]) -> None:
    """Pick `lines` from the warehouse's bins (lock them first with `lock_stock`)."""
    for line in sorted(lines, key=lambda line: line.sku):
        await session.execute(
            update(bin_stock)
            .where(bin_stock.c.warehouse_id == warehouse_id, bin_stock.c.sku == line.sku)
            .values(on_hand=bin_stock.c.on_hand - line.quantity)
        )


async def add_stock(session: AsyncSession, warehouse_id: str, sku: str, quantity: int) -> None:
    """Put `quantity` of `sku` on the warehouse's shelves (a bin is made if it had none)."""
    await session.execute(
        insert(bin_stock)
        .values(warehouse_id=warehouse_id, sku=sku, on_hand=quantity)
        .on_conflict_do_update(
            index_elements=[bin_stock.c.warehouse_id, bin_stock.c.sku],
            set_={"on_hand": bin_stock.c.on_hand + quantity},
        )
    )

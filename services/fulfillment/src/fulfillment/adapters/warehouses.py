"""Reads of warehouses and their bin stock, in the caller's session (its transaction)."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from fulfillment.adapters.tables import bin_stock, warehouses
from fulfillment.domain.allocation import Warehouse


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

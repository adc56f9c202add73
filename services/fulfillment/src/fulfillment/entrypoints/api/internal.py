"""Reconciliation's reads (docs/reconciliation.md), under `/internal/v1` and guarded by the
admin token: shipments and backorders as they are, page by page. Fulfillment has no repair
command: a lost OrderConfirmed is republished by checkout, and allocation is idempotent.
"""

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Depends
from pydantic import SecretStr
from shop_servicekit import Page, WindowDep, admin_guard, read_page
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fulfillment.adapters.tables import backorders, shipments


def shipment_item(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "shipment_id": row["id"],
        "order_id": row["order_id"],
        "status": row["status"],
        "warehouse_id": row["warehouse_id"],
        "created_at": row["created_at"],
    }


def backorder_item(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "backorder_id": row["id"],
        "order_id": row["order_id"],
        "status": row["status"],
        "created_at": row["created_at"],
    }


def internal_router(
    sessions: async_sessionmaker[AsyncSession], *, admin_token: SecretStr
) -> APIRouter:
    router = APIRouter(
        prefix="/internal/v1",
        tags=["fulfillment internal"],
        dependencies=[Depends(admin_guard(admin_token))],
    )

    @router.get("/shipments")
    async def list_shipments(window: WindowDep) -> Page:
        t = shipments
        query = select(t.c.id, t.c.order_id, t.c.status, t.c.warehouse_id, t.c.created_at)
        async with sessions() as session:
            return await read_page(
                session, query, t.c.created_at, t.c.id, window, render=shipment_item
            )

    @router.get("/backorders")
    async def list_backorders(window: WindowDep) -> Page:
        t = backorders
        query = select(t.c.id, t.c.order_id, t.c.status, t.c.created_at)
        async with sessions() as session:
            return await read_page(
                session, query, t.c.created_at, t.c.id, window, render=backorder_item
            )

    return router

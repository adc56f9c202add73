"""Reconciliation's reads (docs/reconciliation.md), under `/internal/v1` and guarded by
`guard` (reconciliation only): shipments and backorders as they are, page by page.
Fulfillment has no repair command: a lost OrderConfirmed is republished by checkout, and
allocation is idempotent.
"""

from fastapi import APIRouter, Depends
from shop_servicekit import Guard, Page, WindowDep
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fulfillment.application.queries import read_backorders, read_shipments


def internal_router(sessions: async_sessionmaker[AsyncSession], *, guard: Guard) -> APIRouter:
    router = APIRouter(
        prefix="/internal/v1",
        tags=["fulfillment internal"],
        dependencies=[Depends(guard)],
    )

    @router.get("/shipments")
    async def get_shipments_page(window: WindowDep) -> Page:
        return await read_shipments(sessions, window)

    @router.get("/backorders")
    async def get_backorders_page(window: WindowDep) -> Page:
        return await read_backorders(sessions, window)

    return router

"""Reconciliation's read (docs/reconciliation.md), under `/internal/v1` and guarded by
`guard` (reconciliation only): the returns as they are, page by page."""

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Depends
from shop_servicekit import Guard, Page, Window, WindowDep, problem_responses

ReadReturnsFn = Callable[[Window], Awaitable[Page]]


def internal_router(read_returns: ReadReturnsFn, *, guard: Guard) -> APIRouter:
    router = APIRouter(
        responses=problem_responses(401),
        prefix="/internal/v1",
        tags=["returns internal"],
        dependencies=[Depends(guard)],
    )

    @router.get("/returns")
    async def list_returns(window: WindowDep) -> Page:
        return await read_returns(window)

    return router

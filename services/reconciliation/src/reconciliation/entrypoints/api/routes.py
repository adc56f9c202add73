"""Thin routes: HTTP in, an application query, HTTP out; an untracked order is a problem."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from shop_servicekit import Clock, Guard, Problem, problem_responses
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from reconciliation.application.coordination import find_order_progress, find_stuck
from reconciliation.domain.coordination import Deadlines
from reconciliation.entrypoints.api.schemas import CoordinationView, StuckListView


def coordination_router(
    sessions: async_sessionmaker[AsyncSession],
    *,
    deadlines: Deadlines,
    clock: Clock,
    guard: Guard,
) -> APIRouter:
    """`guard`: operators only (coordination state names holds and authorizations)."""
    router = APIRouter(
        prefix="/v1/coordination", tags=["coordination"], dependencies=[Depends(guard)]
    )

    @router.get(
        "/orders/{order_id}",
        responses=problem_responses(404),
    )
    async def get_order_coordination(order_id: str) -> CoordinationView:
        found = await find_order_progress(sessions, order_id, clock=clock, deadlines=deadlines)
        if found is None:
            raise Problem(
                404,
                "order-not-tracked",
                "No events seen for this order",
                detail="Reconciliation tracks an order from the first event it sees about it",
                order_id=order_id,
            )
        return CoordinationView.of(found)

    @router.get("/stuck")
    async def get_stuck_orders(
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> StuckListView:
        stuck = await find_stuck(sessions, clock=clock, deadlines=deadlines, limit=limit)
        return StuckListView.of(stuck)

    return router

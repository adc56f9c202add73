"""Thin routes: HTTP in, a read or a use case, HTTP out; an untracked order is a problem."""

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from shop_servicekit import Problem
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from reconciliation.adapters import coordination
from reconciliation.application.coordination import find_stuck
from reconciliation.domain.coordination import Deadlines
from reconciliation.entrypoints.api.schemas import (
    CoordinationOut,
    LateStepOut,
    StuckList,
    StuckOrderOut,
)


def coordination_router(
    sessions: async_sessionmaker[AsyncSession],
    *,
    deadlines: Deadlines,
    now: Callable[[], datetime],
) -> APIRouter:
    router = APIRouter(prefix="/v1/coordination", tags=["coordination"])

    @router.get("/orders/{order_id}")
    async def get_order_coordination(order_id: str) -> CoordinationOut:
        async with sessions() as session:
            state = await coordination.get_state(session, order_id)
        if state is None:
            raise Problem(
                404,
                "order-not-tracked",
                "No events seen for this order",
                detail="Reconciliation tracks an order from the first event it sees about it",
                order_id=order_id,
            )
        return CoordinationOut.of(state, now(), deadlines)

    @router.get("/stuck")
    async def list_stuck_orders(
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> StuckList:
        as_of = now()
        stuck = await find_stuck(sessions, now=as_of, deadlines=deadlines, limit=limit)
        return StuckList(
            as_of=as_of,
            orders=[
                StuckOrderOut(
                    order_id=order.state.order_id,
                    confirmed_at=order.state.confirmed_at,
                    last_event_at=order.state.last_event_at,
                    late_steps=[LateStepOut.of(late) for late in order.late],
                )
                for order in stuck
            ],
        )

    return router

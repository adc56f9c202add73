"""Reconciliation's routes (docs/reconciliation.md), all under `/internal/v1` and guarded by
`guard` (reconciliation only): the reservations as they are, page by page, and the commit and
re-hold repairs.

The release repair is the public `POST /v1/reservations/by-order/{order_id}/release`
(routes.py): checkout calls it too, and it is idempotent already.
"""

from dataclasses import asdict

from fastapi import APIRouter, Depends
from shop_contracts.saga_steps import COMMIT_BY_ORDER, REHOLD_BY_ORDER, RESTOCK_BY_RETURN
from shop_contracts.sagas import route_tag
from shop_messaging import Outbox
from shop_servicekit import Clock, Guard, Page, Problem, WindowDep, problem_responses
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from inventory.application.holds import rehold_order_reservation
from inventory.application.orders import commit_order_reservation
from inventory.application.queries import read_reservations, read_restocks
from inventory.application.restocks import RestockReturn, restock_return
from inventory.domain.reservations import HoldEnded, OutOfStock
from inventory.entrypoints.api.schemas import ReservationView, RestockBody, RestockView


def internal_router(
    sessions: async_sessionmaker[AsyncSession],
    outbox: Outbox,
    *,
    guard: Guard,
    clock: Clock,
) -> APIRouter:
    router = APIRouter(
        responses=problem_responses(401),
        prefix="/internal/v1",
        tags=["inventory internal"],
        dependencies=[Depends(guard)],
    )

    @router.get("/reservations")
    async def list_reservations(window: WindowDep) -> Page:
        return await read_reservations(sessions, window)

    @router.get("/restocks")
    async def list_restocks(window: WindowDep) -> Page:
        return await read_restocks(sessions, window)

    @router.post("/restocks", openapi_extra=route_tag(RESTOCK_BY_RETURN))
    async def restock(body: RestockBody) -> RestockView:
        # Idempotent on the return id: a repeated repair restocks nothing twice.
        command = RestockReturn(body.return_id, body.order_id, body.quantities())
        restocked = await restock_return(sessions, outbox, command, clock=clock)
        return RestockView(return_id=body.return_id, restocked_now=restocked)

    @router.post(
        "/reservations/by-order/{order_id}/commit",
        responses=problem_responses(404, 409),
        openapi_extra=route_tag(COMMIT_BY_ORDER),
    )
    async def commit_by_order(order_id: str) -> ReservationView:
        try:
            committed = await commit_order_reservation(sessions, outbox, order_id, clock=clock)
        except HoldEnded as exc:
            raise Problem(
                409,
                "reservation-not-committable",
                "The hold ended: its stock is no longer held",
                detail=str(exc),
                order_id=order_id,
                reservation_id=exc.reservation_id,
                reservation_status=exc.status.value,
            ) from exc
        if committed is None:
            raise Problem(404, "reservation-not-found", "No such reservation", order_id=order_id)
        return ReservationView.of(committed)

    @router.post(
        "/reservations/by-order/{order_id}/rehold",
        responses=problem_responses(404, 409),
        openapi_extra=route_tag(REHOLD_BY_ORDER),
    )
    async def rehold_by_order(order_id: str) -> ReservationView:
        # A confirmed order whose hold ended: take its stock again, if it is still there.
        try:
            held = await rehold_order_reservation(sessions, order_id, clock=clock)
        except OutOfStock as exc:
            raise Problem(
                409,
                "out-of-stock",
                "The stock went to other orders after the hold ended",
                detail=str(exc),
                order_id=order_id,
                skus=[s.sku for s in exc.shortages],
                shortages=[asdict(s) for s in exc.shortages],
            ) from exc
        if held is None:
            raise Problem(404, "reservation-not-found", "No such reservation", order_id=order_id)
        return ReservationView.of(held)

    return router

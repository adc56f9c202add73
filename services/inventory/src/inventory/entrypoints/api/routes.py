"""Thin routes: HTTP in, an application function called, HTTP out; domain errors become
problems. Routes never open a session: the use cases and queries own their transactions."""

from dataclasses import asdict
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Depends, Response
from shop_contracts.saga_steps import CONFIRM_ORDER_HOLD, HOLD_STOCK, RELEASE_HOLD, RELEASE_ORPHAN
from shop_contracts.sagas import route_tag
from shop_messaging import Outbox
from shop_servicekit import (
    OPERATOR,
    PUBLIC,
    Authority,
    Clock,
    Problem,
    budget_guard,
    problem_responses,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from inventory.application.holds import confirm_order_reservation
from inventory.application.queries import find_reservation, find_stock
from inventory.application.reservations import (
    ReserveStock,
    release_order_reservation,
    release_reservation,
    reserve_stock,
)
from inventory.domain.reservations import (
    AlreadyCommitted,
    HoldEnded,
    OutOfStock,
    Reservation,
    ReservationConflict,
    UnknownSkus,
)
from inventory.entrypoints.api.schemas import ReservationBody, ReservationView, StockView


def inventory_router(
    sessions: async_sessionmaker[AsyncSession],
    outbox: Outbox,
    *,
    default_ttl: timedelta,
    min_budget_ms: int,
    clock: Clock,
    auth: Authority,
) -> APIRouter:
    # Holds are checkout's; reconciliation releases orphans; operators may look.
    reserving = [Depends(auth.services("checkout"))]
    releasing = [Depends(auth.services("checkout", "reconciliation"))]
    reading = [Depends(auth.services("checkout", "reconciliation", OPERATOR))]
    router = APIRouter(
        responses=problem_responses(503),
        prefix="/v1",
        tags=["inventory"],
        dependencies=[Depends(budget_guard(min_budget_ms))],
    )

    @router.get(
        "/stock/{sku}",
        responses=problem_responses(404),
        dependencies=[Depends(PUBLIC)],
    )
    async def get_stock(sku: str) -> StockView:
        found = await find_stock(sessions, sku)
        if found is None:
            raise Problem(
                404, "unknown-sku", "Unknown SKU", detail=f"no stock item {sku}", skus=[sku]
            )
        return StockView.of(found)

    @router.post(
        "/reservations",
        status_code=201,
        responses=problem_responses(404, 409),
        openapi_extra=route_tag(HOLD_STOCK),
        dependencies=reserving,
    )
    async def post_reservation(body: ReservationBody, response: Response) -> ReservationView:
        ttl = timedelta(seconds=body.ttl_seconds) if body.ttl_seconds else default_ttl
        command = ReserveStock(
            order_id=body.order_id,
            items=[(item.sku, item.quantity) for item in body.items],
            ttl=ttl,
        )
        try:
            reservation, created = await reserve_stock(sessions, command, clock=clock)
        except UnknownSkus as exc:
            raise Problem(
                404, "unknown-sku", "Unknown SKU", detail=str(exc), skus=exc.skus
            ) from exc
        except OutOfStock as exc:
            raise Problem(
                409,
                "out-of-stock",
                "Not enough stock",
                detail=str(exc),
                skus=[s.sku for s in exc.shortages],
                shortages=[asdict(s) for s in exc.shortages],
            ) from exc
        except HoldEnded as exc:
            raise _ended(exc, body.order_id) from exc
        except ReservationConflict as exc:
            raise Problem(
                409,
                "reservation-conflict",
                "The order already holds other items",
                detail=str(exc),
                order_id=exc.order_id,
                reservation_id=exc.reservation_id,
            ) from exc
        if not created:
            response.status_code = 200
        return ReservationView.of(reservation)

    @router.get(
        "/reservations/{reservation_id}",
        responses=problem_responses(404),
        dependencies=reading,
    )
    async def get_reservation(reservation_id: str) -> ReservationView:
        found = await find_reservation(sessions, reservation_id)
        return ReservationView.of(_found(found, reservation_id=reservation_id))

    @router.delete(
        "/reservations/{reservation_id}",
        responses=problem_responses(404, 409),
        openapi_extra=route_tag(RELEASE_HOLD),
        dependencies=releasing,
    )
    async def delete_reservation(reservation_id: str) -> ReservationView:
        try:
            released = await release_reservation(sessions, outbox, reservation_id, clock=clock)
        except AlreadyCommitted as exc:
            raise _committed(exc) from exc
        return ReservationView.of(_found(released, reservation_id=reservation_id))

    @router.post(
        "/reservations/by-order/{order_id}/release",
        responses=problem_responses(404, 409),
        openapi_extra=route_tag(RELEASE_ORPHAN),
        dependencies=releasing,
    )
    async def post_release_by_order(order_id: str) -> ReservationView:
        try:
            released = await release_order_reservation(sessions, outbox, order_id, clock=clock)
        except AlreadyCommitted as exc:
            raise _committed(exc) from exc
        return ReservationView.of(_found(released, order_id=order_id))

    @router.post(
        "/reservations/by-order/{order_id}/confirm",
        responses=problem_responses(404, 409),
        openapi_extra=route_tag(CONFIRM_ORDER_HOLD),
        dependencies=reserving,
    )
    async def post_confirm_by_order(order_id: str) -> ReservationView:
        # Checkout, once the order is stored: the hold no longer expires.
        try:
            confirmed = await confirm_order_reservation(sessions, order_id, clock=clock)
        except HoldEnded as exc:
            raise _ended(exc, order_id) from exc
        return ReservationView.of(_found(confirmed, order_id=order_id))

    return router


def _ended(exc: HoldEnded, order_id: str) -> Problem:
    return Problem(
        409,
        "reservation-ended",
        "The order's hold was released or has expired",
        detail=str(exc),
        order_id=order_id,
        reservation_id=exc.reservation_id,
        reservation_status=exc.status.value,
    )


def _found(reservation: Reservation | None, **looked_up: Any) -> Reservation:
    if reservation is None:
        raise Problem(404, "reservation-not-found", "No such reservation", **looked_up)
    return reservation


def _committed(exc: AlreadyCommitted) -> Problem:
    return Problem(
        409,
        "reservation-committed",
        "The reservation is committed",
        detail=str(exc),
        reservation_id=exc.reservation_id,
    )

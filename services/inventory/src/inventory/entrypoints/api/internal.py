"""Reconciliation's routes (docs/reconciliation.md), all under `/internal/v1` and guarded by
the admin token: the reservations as they are, page by page, and the commit repair.

The release repair is the public `POST /v1/reservations/by-order/{order_id}/release`
(routes.py): checkout calls it too, and it is idempotent already.
"""

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends
from pydantic import SecretStr
from shop_messaging import Outbox
from shop_servicekit import Page, Problem, WindowDep, admin_guard, read_page
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from inventory.adapters.tables import reservations
from inventory.application.orders import commit_order_reservation
from inventory.domain.reservations import HoldEnded
from inventory.entrypoints.api.schemas import ReservationOut


def reservation_item(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "reservation_id": row["id"],
        "order_id": row["order_id"],
        "status": row["status"],
        "created_at": row["created_at"],
        "committed_at": row["committed_at"],
        # Set when the hold ended without shipping: RELEASED or EXPIRED.
        "released_at": row["released_at"],
        "confirmed_at": row["confirmed_at"],
    }


def internal_router(
    sessions: async_sessionmaker[AsyncSession],
    outbox: Outbox,
    *,
    admin_token: SecretStr,
    now: Callable[[], datetime],
) -> APIRouter:
    router = APIRouter(
        prefix="/internal/v1",
        tags=["inventory internal"],
        dependencies=[Depends(admin_guard(admin_token))],
    )

    @router.get("/reservations")
    async def list_reservations(window: WindowDep) -> Page:
        t = reservations
        async with sessions() as session:
            return await read_page(
                session, select(t), t.c.created_at, t.c.id, window, render=reservation_item
            )

    @router.post("/reservations/by-order/{order_id}/commit")
    async def commit_by_order(order_id: str) -> ReservationOut:
        try:
            committed = await commit_order_reservation(sessions, outbox, order_id, now=now())
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
        return ReservationOut.of(committed)

    return router

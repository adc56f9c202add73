"""Reconciliation's routes on Checkout (docs/reconciliation.md), all under `/internal/v1`
and guarded by the admin token: the orders as they are, page by page, and two repairs
(republish a lost OrderConfirmed, correct the statuses from downstream facts)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from fastapi import APIRouter, Depends
from pydantic import SecretStr
from shop_servicekit import Page, Problem, WindowDep, admin_guard, read_page
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from checkout.adapters.tables import orders
from checkout.application.progress import CorrectOrder
from checkout.application.republish import Republished
from checkout.domain.orders import Order
from checkout.domain.progress import ConfirmedEventMissing, OrderNotConfirmed, OrderNotFound
from checkout.entrypoints.api.schemas import FactsIn, OrderOut, RepublishedOut

Republish = Callable[[str], Awaitable[Republished]]
Correct = Callable[[CorrectOrder], Awaitable[Order]]

ITEM_COLUMNS = (
    orders.c.id,
    orders.c.status,
    orders.c.fulfillment_status,
    orders.c.payment_status,
    orders.c.notification_status,
    orders.c.reservation_id,
    orders.c.authorization_id,
    orders.c.customer_id,
    orders.c.customer_email,
    orders.c.total,
    orders.c.currency,
    orders.c.created_at,
    orders.c.updated_at,
)


def order_item(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "order_id": row["id"],
        "status": row["status"],
        "fulfillment_status": row["fulfillment_status"],
        "payment_status": row["payment_status"],
        "notification_status": row["notification_status"],
        "reservation_id": row["reservation_id"],
        "authorization_id": row["authorization_id"],
        # Who to tell and what: a repair that resends a notification carries them.
        "customer_id": row["customer_id"],
        "customer_email": row["customer_email"],
        "total": {"amount": row["total"], "currency": row["currency"]},
        "created_at": row["created_at"],
        # Moves whenever a fact, a status or the compensation changes.
        "updated_at": row["updated_at"],
    }


def _not_found(order_id: str) -> Problem:
    return Problem(404, "order-not-found", "No such order", order_id=order_id)


def internal_router(
    sessions: async_sessionmaker[AsyncSession],
    *,
    admin_token: SecretStr,
    republish: Republish,
    correct: Correct,
) -> APIRouter:
    router = APIRouter(
        prefix="/internal/v1",
        tags=["checkout internal"],
        dependencies=[Depends(admin_guard(admin_token))],
    )

    @router.get("/orders")
    async def list_orders(window: WindowDep) -> Page:
        t = orders
        async with sessions() as session:
            return await read_page(
                session, select(*ITEM_COLUMNS), t.c.created_at, t.c.id, window, render=order_item
            )

    @router.post("/orders/{order_id}/republish", status_code=202)
    async def republish_order_confirmed(order_id: str) -> RepublishedOut:
        try:
            republished = await republish(order_id)
        except OrderNotFound as missing:
            raise _not_found(order_id) from missing
        except OrderNotConfirmed as refused:
            raise Problem(
                409,
                "order-not-confirmed",
                "The order has no OrderConfirmed to resend",
                detail=str(refused),
                order_id=order_id,
                order_status=refused.status.value,
            ) from refused
        except ConfirmedEventMissing as lost:
            raise Problem(
                409,
                "order-confirmed-event-missing",
                "The order's OrderConfirmed is not in the outbox",
                detail=str(lost),
                order_id=order_id,
            ) from lost
        return RepublishedOut(
            order_id=republished.order_id, event_id=republished.event_id, requeued=True
        )

    @router.post("/orders/{order_id}/facts")
    async def correct_from_facts(order_id: str, body: FactsIn) -> OrderOut:
        try:
            order = await correct(CorrectOrder(order_id, body.facts()))
        except OrderNotFound as missing:
            raise _not_found(order_id) from missing
        return OrderOut.of(order)

    return router

"""Reconciliation's routes (docs/reconciliation.md), all under `/internal/v1` and guarded by
the admin token: the authorizations as they are, page by page, and the capture repair.

The void repair is the public `POST /v1/authorizations/by-order/{order_id}/void`
(routes.py): checkout's compensation calls it too, and it is idempotent already.
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

from payment.adapters.tables import authorizations
from payment.application.capture import capture_order_authorization
from payment.domain.authorizations import NotCapturable
from payment.entrypoints.api.schemas import AuthorizationOut

ITEM_COLUMNS = (
    authorizations.c.id,
    authorizations.c.order_id,
    authorizations.c.status,
    authorizations.c.amount,
    authorizations.c.currency,
    authorizations.c.created_at,
    authorizations.c.captured_at,
    authorizations.c.voided_at,
)


def authorization_item(row: Mapping[str, Any]) -> dict[str, Any]:
    """Every attempt, DECLINED ones included (an order may have several rows)."""
    return {
        "authorization_id": row["id"],
        "order_id": row["order_id"],
        "status": row["status"],
        "amount": {"amount": row["amount"], "currency": row["currency"]},
        "created_at": row["created_at"],
        "captured_at": row["captured_at"],
        "voided_at": row["voided_at"],
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
        tags=["payment internal"],
        dependencies=[Depends(admin_guard(admin_token))],
    )

    @router.get("/authorizations")
    async def list_authorizations(window: WindowDep) -> Page:
        t = authorizations
        async with sessions() as session:
            return await read_page(
                session,
                select(*ITEM_COLUMNS),
                t.c.created_at,
                t.c.id,
                window,
                render=authorization_item,
            )

    @router.post("/authorizations/by-order/{order_id}/capture")
    async def capture_by_order(order_id: str) -> AuthorizationOut:
        try:
            captured = await capture_order_authorization(sessions, outbox, order_id, now=now())
        except NotCapturable as exc:
            raise Problem(
                409,
                "authorization-not-capturable",
                "The authorization cannot be captured",
                detail=str(exc),
                order_id=order_id,
                authorization_id=exc.authorization_id,
                authorization_status=exc.status.value,
            ) from exc
        if captured is None:
            raise Problem(
                404, "authorization-not-found", "No authorization for this order", order_id=order_id
            )
        return AuthorizationOut.of(captured)

    return router

"""Reconciliation's routes (docs/reconciliation.md), all under `/internal/v1` and guarded by
the admin token: the notifications as they are, page by page, and the resend repair."""

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Response
from pydantic import SecretStr
from shop_servicekit import Page, Problem, WindowDep, admin_guard, read_page
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from communications.adapters.tables import notifications
from communications.application.notify import Notify
from communications.application.ports import NotificationFailed, RecipientUnknown
from communications.application.resend import (
    GivenRecipient,
    ResendNotification,
    Total,
    resend_notification,
)
from communications.entrypoints.api.schemas import NotificationOut, ResendRequest

ITEM_COLUMNS = (
    notifications.c.id,
    notifications.c.order_id,
    notifications.c.kind,
    notifications.c.status,
    notifications.c.created_at,
)


def notification_item(row: Mapping[str, Any]) -> dict[str, Any]:
    """Every attempt, FAILED ones included (a fact may have several rows, one SENT at most)."""
    return {
        "notification_id": row["id"],
        "order_id": row["order_id"],
        "kind": row["kind"],
        "status": row["status"],
        "created_at": row["created_at"],
    }


def internal_router(
    sessions: async_sessionmaker[AsyncSession],
    *,
    notify: Notify,
    admin_token: SecretStr,
    now: Callable[[], datetime],
) -> APIRouter:
    router = APIRouter(
        prefix="/internal/v1",
        tags=["communications internal"],
        dependencies=[Depends(admin_guard(admin_token))],
    )

    @router.get("/notifications")
    async def list_notifications(window: WindowDep) -> Page:
        t = notifications
        async with sessions() as session:
            return await read_page(
                session,
                select(*ITEM_COLUMNS),
                t.c.created_at,
                t.c.id,
                window,
                render=notification_item,
            )

    @router.post("/notifications/resend", status_code=201)
    async def resend(body: ResendRequest, response: Response) -> NotificationOut:
        given, total = body.recipient, body.total
        command = ResendNotification(
            body.order_id,
            body.kind,
            recipient=None if given is None else GivenRecipient(given.customer_id, given.email),
            total=None if total is None else Total(total.amount, total.currency),
        )
        try:
            resent = await resend_notification(sessions, command, notify=notify, now=now)
        except RecipientUnknown as exc:
            raise Problem(
                409,
                "recipient-unknown",
                "No OrderConfirmed of this order was ever seen and no recipient was given: "
                "no address to write to",
                detail=str(exc),
                order_id=body.order_id,
                kind=body.kind.value,
            ) from exc
        except NotificationFailed as exc:
            raise Problem(
                503,
                "smtp-unavailable",
                "The mail server is unavailable; the attempt is recorded FAILED",
                detail=str(exc),
                order_id=body.order_id,
                kind=body.kind.value,
                notification_id=exc.notification.id,
            ) from exc
        if not resent.sent_now:
            response.status_code = 200
        return NotificationOut.of(resent.notification)

    return router

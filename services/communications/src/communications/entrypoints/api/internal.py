"""Reconciliation's routes (docs/reconciliation.md), all under `/internal/v1` and guarded by
`guard` (reconciliation only): the notifications as they are, page by page, and the resend
repair."""

from fastapi import APIRouter, Depends, Response
from shop_contracts.saga_steps import RESEND_NOTIFICATION
from shop_contracts.sagas import route_tag
from shop_servicekit import Clock, Guard, Page, Problem, WindowDep, problem_responses
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from communications.application.notify import Notify
from communications.application.queries import read_notifications
from communications.application.resend import (
    GivenRecipient,
    ResendNotification,
    Total,
    resend_notification,
)
from communications.domain.errors import NotificationFailed, RecipientUnknown
from communications.entrypoints.api.schemas import NotificationView, ResendBody


def internal_router(
    sessions: async_sessionmaker[AsyncSession],
    *,
    notify: Notify,
    guard: Guard,
    clock: Clock,
) -> APIRouter:
    router = APIRouter(
        responses=problem_responses(401),
        prefix="/internal/v1",
        tags=["communications internal"],
        dependencies=[Depends(guard)],
    )

    @router.get("/notifications")
    async def get_notifications_page(window: WindowDep) -> Page:
        return await read_notifications(sessions, window)

    @router.post(
        "/notifications/resend",
        responses={
            **problem_responses(409, 503),
            200: {"model": NotificationView, "description": "Already sent: that notification"},
        },
        status_code=201,
        openapi_extra=route_tag(RESEND_NOTIFICATION),
    )
    async def post_resend(body: ResendBody, response: Response) -> NotificationView:
        given, total = body.recipient, body.total
        command = ResendNotification(
            body.order_id,
            body.kind,
            recipient=None if given is None else GivenRecipient(given.customer_id, given.email),
            total=None if total is None else Total(total.amount, total.currency),
        )
        try:
            resent = await resend_notification(sessions, command, notify=notify, clock=clock)
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
        return NotificationView.of(resent.notification)

    return router

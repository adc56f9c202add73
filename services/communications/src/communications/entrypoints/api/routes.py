"""Thin routes: HTTP in, a query called, HTTP out; a missing entity is a problem. Routes
never open a session: the application's queries do."""

from fastapi import APIRouter
from shop_servicekit import Problem, problem_responses
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from communications.application.queries import find_notification, notifications_of_order
from communications.entrypoints.api.schemas import (
    NotificationListView,
    NotificationView,
    OrderIdQuery,
)


def communications_router(sessions: async_sessionmaker[AsyncSession]) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["communications"])

    @router.get("/notifications")
    async def get_notifications(order_id: OrderIdQuery) -> NotificationListView:
        found = await notifications_of_order(sessions, order_id)
        return NotificationListView(notifications=[NotificationView.of(n) for n in found])

    @router.get(
        "/notifications/{notification_id}",
        responses=problem_responses(404),
    )
    async def get_notification(notification_id: str) -> NotificationView:
        found = await find_notification(sessions, notification_id)
        if found is None:
            raise Problem(
                404,
                "notification-not-found",
                "No such notification",
                notification_id=notification_id,
            )
        return NotificationView.of(found)

    return router

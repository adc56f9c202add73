"""Thin routes: HTTP in, a read in one session, HTTP out; a missing entity is a problem."""

from fastapi import APIRouter
from shop_servicekit import Problem
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from communications.adapters import notifications
from communications.entrypoints.api.schemas import (
    NotificationList,
    NotificationOut,
    OrderIdQuery,
)


def communications_router(sessions: async_sessionmaker[AsyncSession]) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["communications"])

    @router.get("/notifications")
    async def list_notifications(order_id: OrderIdQuery) -> NotificationList:
        async with sessions() as session:
            found = await notifications.notifications_for_order(session, order_id)
        return NotificationList(notifications=[NotificationOut.of(n) for n in found])

    @router.get("/notifications/{notification_id}")
    async def get_notification(notification_id: str) -> NotificationOut:
        async with sessions() as session:
            found = await notifications.get_notification(session, notification_id)
        if found is None:
            raise Problem(
                404,
                "notification-not-found",
                "No such notification",
                notification_id=notification_id,
            )
        return NotificationOut.of(found)

    return router

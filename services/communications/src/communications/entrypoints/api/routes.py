"""Thin routes: HTTP in, a query called, HTTP out; a missing entity is a problem. Routes
never open a session: the application's queries do. A customer sees only the notifications
of their own orders; anyone else's answer as if they did not exist (404 / an empty list)."""

from typing import Annotated

from fastapi import APIRouter, Depends
from shop_servicekit import Authority, Caller, Problem, problem_responses
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from communications.application.queries import find_notification, notifications_of_order
from communications.entrypoints.api.schemas import (
    NotificationListView,
    NotificationView,
    OrderIdQuery,
)


def communications_router(
    sessions: async_sessionmaker[AsyncSession], *, auth: Authority
) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["communications"])
    Customer = Annotated[Caller, Depends(auth.customer())]

    @router.get("/notifications")
    async def get_notifications(order_id: OrderIdQuery, customer: Customer) -> NotificationListView:
        found = await notifications_of_order(sessions, order_id, customer_id=customer.subject)
        return NotificationListView(notifications=[NotificationView.of(n) for n in found])

    @router.get(
        "/notifications/{notification_id}",
        responses=problem_responses(404),
    )
    async def get_notification(notification_id: str, customer: Customer) -> NotificationView:
        found = await find_notification(sessions, notification_id, customer_id=customer.subject)
        if found is None:
            raise Problem(
                404,
                "notification-not-found",
                "No such notification",
                notification_id=notification_id,
            )
        return NotificationView.of(found)

    return router

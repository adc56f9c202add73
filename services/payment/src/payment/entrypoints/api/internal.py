"""Reconciliation's routes (docs/reconciliation.md), all under `/internal/v1` and guarded by
`guard` (reconciliation only): the authorizations as they are, page by page, and the capture repair.

The void repair is the public `POST /v1/authorizations/by-order/{order_id}/void`
(routes.py): checkout's compensation calls it too, and it is idempotent already.
"""

from fastapi import APIRouter, Depends
from shop_contracts.saga_steps import CAPTURE_BY_ORDER
from shop_contracts.sagas import route_tag
from shop_messaging import Outbox
from shop_servicekit import Clock, Guard, Page, Problem, WindowDep, problem_responses
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from payment.application.capture import capture_order_authorization
from payment.application.queries import read_authorizations
from payment.domain.authorizations import NotCapturable
from payment.entrypoints.api.schemas import AuthorizationView


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
        tags=["payment internal"],
        dependencies=[Depends(guard)],
    )

    @router.get("/authorizations")
    async def list_authorizations(window: WindowDep) -> Page:
        return await read_authorizations(sessions, window)

    @router.post(
        "/authorizations/by-order/{order_id}/capture",
        responses=problem_responses(404, 409),
        openapi_extra=route_tag(CAPTURE_BY_ORDER),
    )
    async def capture_by_order(order_id: str) -> AuthorizationView:
        try:
            captured = await capture_order_authorization(sessions, outbox, order_id, clock=clock)
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
        return AuthorizationView.of(captured)

    return router

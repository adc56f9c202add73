"""Reconciliation's routes (docs/reconciliation.md), all under `/internal/v1` and guarded by
`guard` (reconciliation only): the authorizations and refunds as they are, page by page,
and the capture and refund repairs.

The void repair is the public `POST /v1/authorizations/by-order/{order_id}/void`
(routes.py): checkout's compensation calls it too, and it is idempotent already.
"""

from fastapi import APIRouter, Depends
from shop_contracts.saga_steps import CAPTURE_BY_ORDER, REFUND_BY_RETURN
from shop_contracts.sagas import route_tag
from shop_messaging import Outbox
from shop_servicekit import Clock, Guard, Page, Problem, WindowDep, problem_responses
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from payment.application.capture import capture_order_authorization
from payment.application.queries import read_authorizations, read_refunds
from payment.application.refunds import NoAuthorization, RefundReturn, refund_return
from payment.domain.authorizations import NotCapturable
from payment.domain.refunds import NotRefundable
from payment.entrypoints.api.schemas import AuthorizationView, RefundBody, RefundView


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

    @router.get("/refunds")
    async def list_refunds(window: WindowDep) -> Page:
        return await read_refunds(sessions, window)

    @router.post(
        "/refunds",
        responses=problem_responses(404, 409),
        openapi_extra=route_tag(REFUND_BY_RETURN),
    )
    async def refund(body: RefundBody) -> RefundView:
        # Idempotent on the return id: a repeated repair answers the refund already made.
        command = RefundReturn(body.order_id, body.return_id, body.amount)
        try:
            return RefundView.of(await refund_return(sessions, outbox, command, clock=clock))
        except NoAuthorization as exc:
            raise Problem(
                404,
                "authorization-not-found",
                "No authorization for this order",
                order_id=body.order_id,
            ) from exc
        except NotRefundable as exc:
            raise Problem(
                409,
                "not-refundable",
                "Nothing can be refunded",
                detail=str(exc),
                order_id=body.order_id,
                reason=exc.reason,
            ) from exc

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

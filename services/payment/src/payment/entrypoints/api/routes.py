"""Thin routes: HTTP in, an application function called, HTTP out; domain errors become
problems. Routes never open a session: the use cases and queries own their transactions."""

from typing import Any

from fastapi import APIRouter, Depends, Response
from shop_contracts.saga_steps import AUTHORIZE_PAYMENT, VOID_AUTHORIZATION
from shop_contracts.sagas import route_tag
from shop_messaging import Outbox
from shop_servicekit import OPERATOR, Authority, Clock, Problem, budget_guard, problem_responses
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from payment.application.authorizations import (
    AuthorizePayment,
    authorize_payment,
    void_authorization,
    void_order_authorization,
)
from payment.application.queries import find_authorization
from payment.domain.authorizations import (
    AlreadyCaptured,
    Authorization,
    AuthorizationMismatch,
    AuthorizationStatus,
    InvalidToken,
)
from payment.domain.fraud import FraudRules
from payment.entrypoints.api.schemas import AuthorizationBody, AuthorizationView


def payment_router(
    sessions: async_sessionmaker[AsyncSession],
    outbox: Outbox,
    *,
    rules: FraudRules,
    min_budget_ms: int,
    clock: Clock,
    auth: Authority,
) -> APIRouter:
    # Authorizations are checkout's; reconciliation voids orphans; operators may look.
    authorizing = [Depends(auth.services("checkout"))]
    voiding = [Depends(auth.services("checkout", "reconciliation"))]
    reading = [Depends(auth.services("checkout", "reconciliation", OPERATOR))]
    router = APIRouter(
        responses=problem_responses(503),
        prefix="/v1",
        tags=["payment"],
        dependencies=[Depends(budget_guard(min_budget_ms))],
    )

    @router.post(
        "/authorizations",
        status_code=201,
        responses=problem_responses(402, 409),
        openapi_extra=route_tag(AUTHORIZE_PAYMENT),
        dependencies=authorizing,
    )
    async def post_authorization(body: AuthorizationBody, response: Response) -> AuthorizationView:
        command = AuthorizePayment(**body.model_dump())
        try:
            attempt, created = await authorize_payment(sessions, command, rules=rules, clock=clock)
        except InvalidToken as exc:
            raise Problem(422, "invalid-token", "Unknown payment token", detail=str(exc)) from exc
        except AuthorizationMismatch as exc:
            raise Problem(
                409,
                "authorization-mismatch",
                "The order is already authorized for another amount",
                detail=str(exc),
                authorization_id=exc.authorization_id,
            ) from exc
        if attempt.status is AuthorizationStatus.DECLINED:
            raise _declined(attempt)
        if not created:
            response.status_code = 200
        return AuthorizationView.of(attempt)

    @router.get(
        "/authorizations/{authorization_id}",
        responses=problem_responses(404),
        dependencies=reading,
    )
    async def get_authorization(authorization_id: str) -> AuthorizationView:
        found = await find_authorization(sessions, authorization_id)
        return AuthorizationView.of(_found(found, authorization_id=authorization_id))

    @router.post(
        "/authorizations/{authorization_id}/void",
        responses=problem_responses(404, 409),
        openapi_extra=route_tag(VOID_AUTHORIZATION),
        dependencies=voiding,
    )
    async def post_void(authorization_id: str) -> AuthorizationView:
        try:
            voided = await void_authorization(sessions, outbox, authorization_id, clock=clock)
        except AlreadyCaptured as exc:
            raise _captured(exc) from exc
        return AuthorizationView.of(_found(voided, authorization_id=authorization_id))

    @router.post(
        "/authorizations/by-order/{order_id}/void",
        responses=problem_responses(404, 409),
        openapi_extra=route_tag(VOID_AUTHORIZATION),
        dependencies=voiding,
    )
    async def post_void_by_order(order_id: str) -> AuthorizationView:
        try:
            voided = await void_order_authorization(sessions, outbox, order_id, clock=clock)
        except AlreadyCaptured as exc:
            raise _captured(exc) from exc
        return AuthorizationView.of(_found(voided, order_id=order_id))

    return router


def _declined(attempt: Authorization) -> Problem:
    ids: dict[str, Any] = {"authorization_id": attempt.id, "order_id": attempt.order_id}
    if attempt.fraud_suspected:
        # Which rule fired stays in our records: telling the caller would teach a fraudster.
        return Problem(402, "fraud-suspected", "Stopped by the fraud screen", **ids)
    reason = attempt.decline_reason or "declined"
    return Problem(402, "payment-declined", "Payment declined", detail=reason, reason=reason, **ids)


def _found(authorization: Authorization | None, **looked_up: Any) -> Authorization:
    if authorization is None:
        # By order id this means "nothing was ever authorized": nothing to void.
        raise Problem(404, "authorization-not-found", "No such authorization", **looked_up)
    return authorization


def _captured(exc: AlreadyCaptured) -> Problem:
    return Problem(
        409,
        "already-captured",
        "The authorization is captured",
        detail=str(exc),
        authorization_id=exc.authorization_id,
    )

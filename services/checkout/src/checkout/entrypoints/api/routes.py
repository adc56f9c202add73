"""Checkout's public routes: HTTP in, one application function called, HTTP out.

POST /v1/checkouts                 place an order (Idempotency-Key required)
GET  /v1/orders/{order_id}         the order as the customer sees it
POST /v1/orders/{order_id}/cancel  cancel it while it has not shipped
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Header
from fastapi.responses import JSONResponse
from pydantic import TypeAdapter, ValidationError
from shop_contracts.saga_steps import CANCEL, PLACE_ORDER
from shop_contracts.sagas import route_tag
from shop_servicekit import Problem, new_id, problem_responses, required_headers

from checkout.application.cancellation import CancelOrder
from checkout.application.checkouts import PlaceOrder
from checkout.application.outcomes import Answer
from checkout.domain.orders import Order
from checkout.domain.progress import OrderNotCancellable, OrderNotFound
from checkout.entrypoints.api.answers import render
from checkout.entrypoints.api.schemas import (
    CancelBody,
    CheckoutBody,
    CheckoutCreatedView,
    IdempotencyKey,
    OrderView,
)

# The application functions the routes call, bound by bootstrap.
PlaceOrderFn = Callable[[PlaceOrder], Awaitable[Answer]]
FindOrderFn = Callable[[str], Awaitable[Order | None]]
CancelOrderFn = Callable[[CancelOrder], Awaitable[Order]]

_KEY = TypeAdapter(IdempotencyKey)


async def idempotency_key(
    key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> str:
    if key is None:
        raise Problem(
            422,
            "idempotency-key-missing",
            "Idempotency-Key header required",
            detail="send a unique Idempotency-Key (8 to 255 printable characters) per checkout",
        )
    try:
        return _KEY.validate_python(key)
    except ValidationError as exc:
        raise Problem(
            422,
            "idempotency-key-invalid",
            "Idempotency-Key is not valid",
            detail="8 to 255 printable ASCII characters, no spaces",
        ) from exc


def checkout_router(
    *,
    place_order: PlaceOrderFn,
    find_order: FindOrderFn,
    cancel_order: CancelOrderFn,
    new_order_id: Callable[[], str],
) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["checkout"])

    @router.post(
        "/checkouts",
        responses={
            **problem_responses(402, 404, 409, 503, 504, retry_after=(409, 503)),
            201: {"model": CheckoutCreatedView, "description": "The order is confirmed"},
        },
        status_code=201,
        response_model=None,
        # Required, though the parameter is optional: a missing key answers its own problem.
        openapi_extra={**route_tag(PLACE_ORDER), **required_headers("Idempotency-Key")},
    )
    async def create_checkout(
        key: Annotated[str, Depends(idempotency_key)], body: CheckoutBody
    ) -> JSONResponse:
        command = PlaceOrder(key, body.fingerprint(), body.to_request(new_order_id()))
        return render(await place_order(command))

    @router.get(
        "/orders/{order_id}",
        responses=problem_responses(404),
    )
    async def read_order(order_id: str) -> OrderView:
        order = await find_order(order_id)
        if order is None:
            raise Problem(404, "order-not-found", "No such order", order_id=order_id)
        return OrderView.of(order)

    @router.post(
        "/orders/{order_id}/cancel",
        responses=problem_responses(404, 409),
        openapi_extra=route_tag(CANCEL),
    )
    async def request_cancellation(
        order_id: str, body: Annotated[CancelBody | None, Body()] = None
    ) -> OrderView:
        # No Idempotency-Key needed: cancelling a cancelled order returns it unchanged.
        command = (
            CancelOrder(order_id, body.reason) if body and body.reason else CancelOrder(order_id)
        )
        try:
            order = await cancel_order(command)
        except OrderNotCancellable as refused:
            raise Problem(
                409,
                "order-not-cancellable",
                "The order can no longer be cancelled",
                detail=str(refused),
                order_id=order_id,
                order_status=refused.status.value,
            ) from refused
        except OrderNotFound as missing:
            raise Problem(404, "order-not-found", "No such order", order_id=order_id) from missing
        return OrderView.of(order)

    return router


def default_order_id() -> str:
    return new_id("ord")

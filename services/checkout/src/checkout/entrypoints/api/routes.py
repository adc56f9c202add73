"""Checkout's public routes: HTTP in, one application function called, HTTP out.

POST /v1/checkouts                 place an order (Idempotency-Key required)
GET  /v1/orders/{order_id}         the order as the customer sees it
POST /v1/orders/{order_id}/cancel  cancel it while it has not shipped

Every route needs a customer bearer token; its subject owns the order. Another customer's
order answers 404, exactly like one that does not exist. Idempotency keys are scoped to the
customer (`scoped_key`): one customer's key can never block or replay another's checkout.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Header
from fastapi.responses import JSONResponse
from pydantic import TypeAdapter, ValidationError
from shop_contracts.saga_steps import CANCEL, PLACE_ORDER
from shop_contracts.sagas import route_tag
from shop_servicekit import (
    Authority,
    Caller,
    Problem,
    new_id,
    problem_responses,
    required_headers,
)

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


def scoped_key(customer_id: str, key: str) -> str:
    """The stored key: the customer's own namespace (a digest, so it fits the key column)."""
    return hashlib.sha256(f"{customer_id}\x00{key}".encode()).hexdigest()


def checkout_router(
    *,
    place_order: PlaceOrderFn,
    find_order: FindOrderFn,
    cancel_order: CancelOrderFn,
    new_order_id: Callable[[], str],
    auth: Authority,
    limits: Sequence[Callable[..., Awaitable[None]]] = (),
) -> APIRouter:
    """`limits`: rate limits run before a checkout (after the customer is known)."""
    router = APIRouter(prefix="/v1", tags=["checkout"])
    signed_in = Depends(auth.customer())  # a default, not Annotated: annotations are strings here

    async def owned(order_id: str, customer: Caller) -> Order:
        order = await find_order(order_id)
        if order is None or order.customer_id != customer.subject:
            raise Problem(404, "order-not-found", "No such order", order_id=order_id)
        return order

    @router.post(
        "/checkouts",
        responses={
            **problem_responses(402, 403, 404, 409, 429, 503, 504, retry_after=(409, 429, 503)),
            201: {"model": CheckoutCreatedView, "description": "The order is confirmed"},
        },
        status_code=201,
        response_model=None,
        # Required, though the parameter is optional: a missing key answers its own problem.
        openapi_extra={**route_tag(PLACE_ORDER), **required_headers("Idempotency-Key")},
        dependencies=[Depends(limit) for limit in limits],
    )
    async def create_checkout(
        key: Annotated[str, Depends(idempotency_key)],
        body: CheckoutBody,
        customer: Caller = signed_in,
    ) -> JSONResponse:
        if body.customer.id is not None and body.customer.id != customer.subject:
            raise Problem(
                403,
                "customer-mismatch",
                "The order's customer must be the signed-in customer",
                detail="customer.id differs from the bearer token's subject; omit it",
            )
        request = body.to_request(new_order_id(), customer.subject)
        command = PlaceOrder(scoped_key(customer.subject, key), body.fingerprint(), request)
        return render(await place_order(command))

    @router.get(
        "/orders/{order_id}",
        responses=problem_responses(404),
    )
    async def read_order(order_id: str, customer: Caller = signed_in) -> OrderView:
        return OrderView.of(await owned(order_id, customer))

    @router.post(
        "/orders/{order_id}/cancel",
        responses=problem_responses(404, 409),
        openapi_extra=route_tag(CANCEL),
    )
    async def request_cancellation(
        order_id: str,
        body: Annotated[CancelBody | None, Body()] = None,
        customer: Caller = signed_in,
    ) -> OrderView:
        await owned(order_id, customer)
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

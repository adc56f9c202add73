"""Thin routes: HTTP in, the checkout use case called, HTTP out."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Header
from fastapi.responses import JSONResponse
from pydantic import TypeAdapter, ValidationError
from shop_servicekit import PROBLEM_JSON, Problem, new_id
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from checkout.adapters import orders
from checkout.application.cancellation import CancelOrder
from checkout.application.checkouts import CheckoutDeps, StoreFailed, checkout
from checkout.application.checkouts import CheckoutRequest as Command
from checkout.application.coordination import PlaceOrder
from checkout.application.ports import InProgress, KeyReused, Replay, StoredResponse
from checkout.domain.orders import Address, Order
from checkout.domain.progress import OrderNotCancellable, OrderNotFound
from checkout.entrypoints.api.schemas import (
    CancelRequest,
    CheckoutRequest,
    IdempotencyKey,
    OrderOut,
)

Cancel = Callable[[CancelOrder], Awaitable[Order]]

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
    deps: CheckoutDeps,
    sessions: async_sessionmaker[AsyncSession],
    *,
    new_order_id: Callable[[], str],
    cancel: Cancel,
) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["checkout"])

    @router.post("/checkouts", status_code=201, response_model=None)
    async def create_checkout(
        key: Annotated[str, Depends(idempotency_key)], body: CheckoutRequest
    ) -> JSONResponse:
        command = Command(
            key=key, fingerprint=body.fingerprint(), command=place_order(body, new_order_id())
        )
        try:
            answer = await checkout(command, deps)
        except StoreFailed as failed:
            return _json(failed.response)
        match answer:
            case Replay(response):
                return _json(response, replayed=True)
            case InProgress():
                raise Problem(
                    409,
                    "request-in-progress",
                    "A request with this key is in progress",
                    detail="retry later with the same Idempotency-Key",
                    headers={"Retry-After": "1"},
                )
            case KeyReused():
                raise Problem(
                    422,
                    "idempotency-key-reused",
                    "Idempotency-Key used with another request",
                    detail="a key names one checkout; use a new key for a different request",
                )
            case StoredResponse():
                return _json(answer)
        raise AssertionError(f"unexpected answer {answer!r}")

    @router.get("/orders/{order_id}")
    async def get_order(order_id: str) -> OrderOut:
        async with sessions() as session:
            found = await orders.get_order(session, order_id)
        if found is None:
            raise Problem(404, "order-not-found", "No such order", order_id=order_id)
        return OrderOut.of(found[0])

    @router.post("/orders/{order_id}/cancel")
    async def cancel_order(
        order_id: str, body: Annotated[CancelRequest | None, Body()] = None
    ) -> OrderOut:
        # No Idempotency-Key needed: cancelling a cancelled order returns it unchanged.
        command = (
            CancelOrder(order_id, body.reason) if body and body.reason else CancelOrder(order_id)
        )
        try:
            order = await cancel(command)
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
        return OrderOut.of(order)

    return router


def place_order(body: CheckoutRequest, order_id: str) -> PlaceOrder:
    address = body.shipping_address
    return PlaceOrder(
        order_id=order_id,
        customer_id=body.customer.id,
        customer_email=body.customer.email,
        items=[(item.sku, item.quantity) for item in body.items],
        shipping_address=Address(
            address.name, address.line1, address.city, address.postal_code, address.country
        ),
        payment_token=body.payment.token,
        currency=body.currency,
    )


def _json(response: StoredResponse, *, replayed: bool = False) -> JSONResponse:
    headers = dict(response.headers)
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    media_type = PROBLEM_JSON if response.status >= 400 else "application/json"
    return JSONResponse(
        response.body, status_code=response.status, headers=headers, media_type=media_type
    )


def default_order_id() -> str:
    return new_id("ord")

"""Returns' public routes: HTTP in, one application function called, HTTP out.

POST /v1/returns                       the order's owner asks to return shipped lines
                                       (Idempotency-Key required)
GET  /v1/returns/{return_id}           the return, its status and timeline (owner only)
POST /v1/returns/{return_id}/receive   the warehouse has the units (an operator's call)

A customer's bearer token names the owner; another customer's order or return answers
404, exactly like one that does not exist. Idempotency keys are scoped to the customer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Response
from shop_contracts.saga_steps import RECEIVE_RETURN, REQUEST_RETURN
from shop_contracts.sagas import route_tag
from shop_servicekit import Authority, Caller, Problem, problem_responses, required_headers

from returns.application.requests import (
    KeyReused,
    OrderNotFound,
    Requested,
    RequestReturn,
    ReturnNotFound,
)
from returns.domain.returns import QuantityNotReturnable, Return, ReturnRefused
from returns.entrypoints.api.schemas import ReturnBody, ReturnView

# The application functions the routes call, bound by bootstrap.
RequestReturnFn = Callable[[RequestReturn], Awaitable[Requested]]
ReceiveReturnFn = Callable[[str], Awaitable[Return]]
FindReturnFn = Callable[[str], Awaitable[Return | None]]

KEY_MAX = 255


async def idempotency_key(
    key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> str:
    if key is None:
        raise Problem(
            422,
            "idempotency-key-missing",
            "Idempotency-Key header required",
            detail="send a unique Idempotency-Key (8 to 255 printable characters) per return",
        )
    if not 8 <= len(key) <= KEY_MAX or not key.isascii() or not key.isprintable() or " " in key:
        raise Problem(
            422,
            "idempotency-key-invalid",
            "Idempotency-Key is not valid",
            detail=f"8 to {KEY_MAX} printable ASCII characters, no spaces",
        )
    return key


def scoped_key(customer_id: str, key: str) -> str:
    """The stored key: the customer's own namespace (a digest, so it fits the key column)."""
    return hashlib.sha256(f"{customer_id}\x00{key}".encode()).hexdigest()


def returns_router(
    *,
    request_return: RequestReturnFn,
    receive_return: ReceiveReturnFn,
    find_return: FindReturnFn,
    auth: Authority,
) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["returns"])
    signed_in = Depends(auth.customer())

    @router.post(
        "/returns",
        status_code=201,
        responses=problem_responses(404, 409),
        openapi_extra={**route_tag(REQUEST_RETURN), **required_headers("Idempotency-Key")},
    )
    async def create_return(
        *,
        # The guard first: an anonymous call is a 401 before its key or body is looked at.
        customer: Caller = signed_in,
        key: Annotated[str, Depends(idempotency_key)],
        body: ReturnBody,
        response: Response,
    ) -> ReturnView:
        command = RequestReturn(
            customer_id=customer.subject,
            order_id=body.order_id,
            lines=body.quantities(),
            idempotency_key=scoped_key(customer.subject, key),
            fingerprint=body.fingerprint(),
        )
        try:
            requested = await request_return(command)
        except OrderNotFound as exc:
            raise Problem(404, "order-not-found", "No such order", order_id=body.order_id) from exc
        except KeyReused as exc:
            raise Problem(
                422,
                "idempotency-key-reused",
                "Idempotency-Key reused",
                detail="this key already requested a return with another body",
            ) from exc
        except ReturnRefused as refused:
            raise _refusal(refused, body.order_id) from refused
        if requested.replayed:
            response.headers["Idempotent-Replayed"] = "true"
        return ReturnView.of(requested.ret)

    @router.get("/returns/{return_id}", responses=problem_responses(404))
    async def read_return(return_id: str, customer: Caller = signed_in) -> ReturnView:
        found = await find_return(return_id)
        if found is None or found.customer_id != customer.subject:
            raise Problem(404, "return-not-found", "No such return", return_id=return_id)
        return ReturnView.of(found)

    @router.post(
        "/returns/{return_id}/receive",
        responses=problem_responses(404),
        dependencies=[Depends(auth.operator())],
        openapi_extra=route_tag(RECEIVE_RETURN),
    )
    async def receive(return_id: str) -> ReturnView:
        # No Idempotency-Key needed: receiving a received return answers it unchanged.
        try:
            return ReturnView.of(await receive_return(return_id))
        except ReturnNotFound as exc:
            raise Problem(404, "return-not-found", "No such return", return_id=return_id) from exc

    return router


def _refusal(refused: ReturnRefused, order_id: str) -> Problem:
    extra: dict[str, Any] = {"order_id": order_id}
    if isinstance(refused, QuantityNotReturnable):
        extra |= {"sku": refused.sku, "asked": refused.asked, "returnable": refused.returnable}
    title = {
        "order-not-returnable": "The order has not shipped",
        "return-window-closed": "The return window has closed",
        "line-not-in-order": "A line was not bought with this order",
        "return-quantity-exceeded": "More units asked back than are returnable",
    }.get(refused.slug, "The return is refused")
    return Problem(refused.status_code, refused.slug, title, detail=str(refused), **extra)

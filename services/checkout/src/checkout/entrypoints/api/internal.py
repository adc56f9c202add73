"""Reconciliation's routes on Checkout (docs/reconciliation.md), all under `/internal/v1`
and guarded by `guard` (reconciliation only): the orders as they are, page by page, and two
repairs (republish a lost OrderConfirmed, correct the statuses from downstream facts)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Depends
from shop_contracts.saga_steps import RECORD_FACTS, REPUBLISH_ORDER
from shop_contracts.sagas import route_tag
from shop_servicekit import Guard, Page, Problem, Window, WindowDep, problem_responses

from checkout.application.progress import CorrectOrder
from checkout.application.republish import Republished
from checkout.domain.orders import Order
from checkout.domain.progress import ConfirmedEventMissing, OrderNotConfirmed, OrderNotFound
from checkout.entrypoints.api.schemas import FactsBody, OrderView, RepublishedView

# The application functions the routes call, bound by bootstrap.
PageOrdersFn = Callable[[Window], Awaitable[Page]]
RepublishFn = Callable[[str], Awaitable[Republished]]
CorrectOrderFn = Callable[[CorrectOrder], Awaitable[Order]]


def _not_found(order_id: str) -> Problem:
    return Problem(404, "order-not-found", "No such order", order_id=order_id)


def internal_router(
    *,
    guard: Guard,
    page_orders: PageOrdersFn,
    republish_order_confirmed: RepublishFn,
    correct_order: CorrectOrderFn,
) -> APIRouter:
    router = APIRouter(
        responses=problem_responses(401),
        prefix="/internal/v1",
        tags=["checkout internal"],
        dependencies=[Depends(guard)],
    )

    @router.get("/orders")
    async def list_orders(window: WindowDep) -> Page:
        return await page_orders(window)

    @router.post(
        "/orders/{order_id}/republish",
        responses=problem_responses(404, 409),
        status_code=202,
        openapi_extra=route_tag(REPUBLISH_ORDER),
    )
    async def request_republish(order_id: str) -> RepublishedView:
        try:
            republished = await republish_order_confirmed(order_id)
        except OrderNotFound as missing:
            raise _not_found(order_id) from missing
        except OrderNotConfirmed as refused:
            raise Problem(
                409,
                "order-not-confirmed",
                "The order has no OrderConfirmed to resend",
                detail=str(refused),
                order_id=order_id,
                order_status=refused.status.value,
            ) from refused
        except ConfirmedEventMissing as lost:
            raise Problem(
                409,
                "order-confirmed-event-missing",
                "The order's OrderConfirmed is not in the outbox",
                detail=str(lost),
                order_id=order_id,
            ) from lost
        return RepublishedView(
            order_id=republished.order_id, event_id=republished.event_id, requeued=True
        )

    @router.post(
        "/orders/{order_id}/facts",
        responses=problem_responses(404),
        openapi_extra=route_tag(RECORD_FACTS),
    )
    async def post_facts(order_id: str, body: FactsBody) -> OrderView:
        try:
            order = await correct_order(CorrectOrder(order_id, body.facts()))
        except OrderNotFound as missing:
            raise _not_found(order_id) from missing
        return OrderView.of(order)

    return router

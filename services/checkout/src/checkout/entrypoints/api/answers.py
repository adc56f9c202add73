"""How checkout outcomes become HTTP answers: a problem slug and status for each refusal."""

from __future__ import annotations

from shop_http import DependencyTimeout, DependencyUnavailable
from shop_servicekit import Problem

from checkout.application.checkouts import Renderer
from checkout.application.coordination import Refused
from checkout.application.ports import StoredResponse
from checkout.domain.orders import (
    FraudSuspected,
    Order,
    OutOfStock,
    PaymentDeclined,
    UnknownSkus,
)
from checkout.entrypoints.api.schemas import created_body

INSTANCE = "/v1/checkouts"


def placed(order: Order) -> StoredResponse:
    return StoredResponse(201, created_body(order))


def refused(outcome: Refused) -> StoredResponse:
    problem = problem_for(outcome)
    return StoredResponse(problem.status, problem.body(INSTANCE), problem.headers)


def unsaved(order: Order) -> StoredResponse:
    problem = Problem(
        503,
        "dependency-unavailable",
        "The order could not be stored",
        detail="nothing is held; retry with the same Idempotency-Key",
        dependency="database",
        headers={"Retry-After": "1"},
    )
    return StoredResponse(503, problem.body(INSTANCE), problem.headers)


def problem_for(outcome: Refused) -> Problem:
    error, order_id = outcome.error, outcome.order.id
    match error:
        case UnknownSkus():
            return Problem(
                404,
                "unknown-sku",
                "Unknown SKU",
                detail=str(error),
                skus=error.skus,
                order_id=order_id,
            )
        case OutOfStock():
            return Problem(
                409,
                "out-of-stock",
                "Not enough stock",
                detail=str(error),
                skus=error.skus,
                order_id=order_id,
            )
        case PaymentDeclined():
            return Problem(
                402, "payment-declined", "Payment declined", detail=str(error), order_id=order_id
            )
        case FraudSuspected():
            return Problem(
                402, "fraud-suspected", "Payment stopped by the fraud screen", order_id=order_id
            )
        case DependencyTimeout():
            return Problem(
                504,
                "checkout-timeout",
                "The checkout ran out of time",
                detail=f"{error.dependency} did not answer within the budget",
                dependency=error.dependency,
                order_id=order_id,
            )
        case DependencyUnavailable():
            return Problem(
                503,
                "dependency-unavailable",
                "A service checkout needs is unavailable",
                detail=str(error),
                dependency=error.dependency,
                order_id=order_id,
                headers={"Retry-After": str(error.retry_after)},
            )
        case _:
            slug = getattr(error, "slug", "checkout-rejected")
            return Problem(
                422, slug, "The checkout was refused", detail=str(error), order_id=order_id
            )


RENDERER = Renderer(placed=placed, refused=refused, unsaved=unsaved)

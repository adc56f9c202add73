"""How checkout outcomes become HTTP answers: the one place that decides a status code.

    return render(await place_order(command))     # a JSONResponse, fresh or replayed

A replayed outcome goes through the same functions as a fresh one, so its status, body
and media type are the first answer's, plus `Idempotent-Replayed: true`.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse
from shop_servicekit import PROBLEM_JSON, Problem

from checkout.application.outcomes import (
    Answer,
    Confirmed,
    InProgress,
    KeyReused,
    NotStored,
    Outcome,
    Receipt,
    Refused,
    Replayed,
    TimedOut,
    Unavailable,
)

INSTANCE = "/v1/checkouts"


def render(answer: Answer) -> JSONResponse:
    """The HTTP answer; InProgress and KeyReused raise their Problem (never stored)."""
    match answer:
        case Replayed(outcome):
            return _respond(outcome, {"Idempotent-Replayed": "true"})
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
        case _:
            return _respond(answer, {})


def _respond(outcome: Outcome, headers: dict[str, str]) -> JSONResponse:
    if isinstance(outcome, Confirmed):
        return JSONResponse(created_body(outcome.receipt), status_code=201, headers=headers)
    problem = problem_for(outcome)
    return JSONResponse(
        problem.body(INSTANCE),
        status_code=problem.status,
        headers={**problem.headers, **headers},
        media_type=PROBLEM_JSON,
    )


def created_body(receipt: Receipt) -> dict[str, Any]:
    def money(amount: int) -> dict[str, Any]:
        return {"amount": amount, "currency": receipt.currency}

    return {
        "order_id": receipt.order_id,
        "status": receipt.status,
        "total": money(receipt.total),
        "lines": [
            {
                "sku": line.sku,
                "name": line.name,
                "quantity": line.quantity,
                "unit_price": money(line.unit_price),
                "line_total": money(line.line_total),
            }
            for line in receipt.lines
        ],
        "fulfillment_status": receipt.fulfillment_status,
        "created_at": receipt.created_at.isoformat().replace("+00:00", "Z"),
    }


def problem_for(outcome: Refused | Unavailable | TimedOut | NotStored) -> Problem:
    match outcome:
        case Refused():
            return _refusal(outcome)
        case TimedOut(order_id, dependency):
            return Problem(
                504,
                "checkout-timeout",
                "The checkout ran out of time",
                detail=f"{dependency} did not answer within the budget",
                dependency=dependency,
                order_id=order_id,
            )
        case Unavailable(order_id, dependency, detail, retry_after):
            return Problem(
                503,
                "dependency-unavailable",
                "A service checkout needs is unavailable",
                detail=detail,
                dependency=dependency,
                order_id=order_id,
                headers={"Retry-After": str(retry_after)},
            )
        case NotStored():
            return Problem(
                503,
                "dependency-unavailable",
                "The order could not be stored",
                detail="nothing is held; retry with the same Idempotency-Key",
                dependency="database",
                headers={"Retry-After": "1"},
            )


def _refusal(refused: Refused) -> Problem:
    order_id, detail, skus = refused.order_id, refused.detail, list(refused.skus)
    match refused.reason:
        case "unknown-sku":
            return Problem(
                404, "unknown-sku", "Unknown SKU", detail=detail, skus=skus, order_id=order_id
            )
        case "out-of-stock":
            return Problem(
                409,
                "out-of-stock",
                "Not enough stock",
                detail=detail,
                skus=skus,
                order_id=order_id,
            )
        case "payment-declined":
            return Problem(
                402, "payment-declined", "Payment declined", detail=detail, order_id=order_id
            )
        case "fraud-suspected":
            return Problem(
                402, "fraud-suspected", "Payment stopped by the fraud screen", order_id=order_id
            )
        case reason:
            return Problem(
                422, reason, "The checkout was refused", detail=detail, order_id=order_id
            )

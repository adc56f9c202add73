"""Outcomes and their HTTP answers: each failure's problem, and a kept outcome that replays
the first answer byte for byte."""

import json
from datetime import UTC, datetime

import pytest
from checkout.application.outcomes import (
    Confirmed,
    NotStored,
    Outcome,
    Receipt,
    Refused,
    Replayed,
    failure_of,
    outcome_from,
    record_of,
)
from checkout.domain.orders import (
    CheckoutRejected,
    FraudSuspected,
    OrderLine,
    OutOfStock,
    PaymentDeclined,
    Refusal,
    UnknownSkus,
)
from checkout.entrypoints.api.answers import render
from shop_http import CircuitOpen, DependencyError, DependencyTimeout, DependencyUnavailable

PROBLEMS = "https://shop.example/problems/"
RECEIPT = Receipt(
    order_id="ord_1",
    status="CONFIRMED",
    currency="EUR",
    total=2599,
    lines=(OrderLine("SKU-MUG-01", "Mug", 2, 1000),),
    fulfillment_status="PENDING",
    created_at=datetime(2026, 11, 21, 12, 0, 0, 123456, tzinfo=UTC),
)


@pytest.mark.parametrize(
    ("error", "status", "slug"),
    [
        (UnknownSkus(["SKU-X"]), 404, "unknown-sku"),
        (OutOfStock(["SKU-MUG-01"]), 409, "out-of-stock"),
        (PaymentDeclined(), 402, "payment-declined"),
        (FraudSuspected(), 402, "fraud-suspected"),
        (Refusal("unsupported-currency", "no JPY"), 422, "unsupported-currency"),
        (DependencyUnavailable("payment", "answered 500"), 503, "dependency-unavailable"),
        (CircuitOpen("payment", retry_after=7), 503, "dependency-unavailable"),
        (DependencyTimeout("payment"), 504, "checkout-timeout"),
    ],
)
def test_each_failure_maps_to_its_problem(error: Exception, status: int, slug: str) -> None:
    assert isinstance(error, CheckoutRejected | DependencyError)
    response = render(failure_of("ord_1", error))
    assert response.status_code == status
    assert response.media_type == "application/problem+json"
    body = json.loads(response.body)
    assert body["type"] == PROBLEMS + slug
    assert body["order_id"] == "ord_1"


def test_unavailable_names_the_dependency_and_says_when_to_retry() -> None:
    response = render(failure_of("ord_1", CircuitOpen("inventory", retry_after=3)))
    assert json.loads(response.body)["dependency"] == "inventory"
    assert response.headers["Retry-After"] == "3"


def test_a_confirmed_checkout_answers_201_with_its_receipt() -> None:
    response = render(Confirmed(RECEIPT))
    assert (response.status_code, response.media_type) == (201, "application/json")
    body = json.loads(response.body)
    assert body["created_at"] == "2026-11-21T12:00:00.123456Z"
    assert body["total"] == {"amount": 2599, "currency": "EUR"}
    assert body["lines"][0]["line_total"] == {"amount": 2000, "currency": "EUR"}


def test_an_order_that_could_not_be_stored_is_a_retryable_database_outage() -> None:
    response = render(NotStored("ord_1"))
    body = json.loads(response.body)
    assert (response.status_code, body["dependency"]) == (503, "database")
    assert response.headers["Retry-After"] == "1"


@pytest.mark.parametrize(
    "outcome",
    [
        Confirmed(RECEIPT),
        failure_of("ord_1", UnknownSkus(["SKU-A", "SKU-B"])),
        failure_of("ord_1", OutOfStock(["SKU-MUG-01"])),
        failure_of("ord_1", PaymentDeclined("insufficient funds")),
        failure_of("ord_1", FraudSuspected()),
        failure_of("ord_1", Refusal("invalid-payment-token", "the payment token is not valid")),
    ],
)
def test_a_kept_outcome_replays_the_first_answer_byte_for_byte(outcome: Outcome) -> None:
    assert isinstance(outcome, Confirmed | Refused)
    # Through JSON, as the idempotency record stores it.
    kept = outcome_from(json.loads(json.dumps(record_of(outcome))))
    first, replayed = render(outcome), render(Replayed(kept))
    assert replayed.body == first.body
    assert (replayed.status_code, replayed.media_type) == (first.status_code, first.media_type)
    assert replayed.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers

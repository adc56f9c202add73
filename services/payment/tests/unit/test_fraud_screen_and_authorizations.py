from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from payment.domain.authorizations import (
    AlreadyCaptured,
    AuthorizationMismatch,
    AuthorizationStatus,
    InvalidToken,
    NotCapturable,
    authorize,
    capture,
    same_authorization,
    void,
)
from payment.domain.fraud import FraudRules, screen

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
RULES = FraudRules(amount_limit=500_000, velocity_max=5, velocity_window=timedelta(minutes=10))


def attempt(token: str = "tok_visa", amount: int = 2_000, recent: int = 0):  # type: ignore[no-untyped-def]
    return authorize(
        authorization_id="auth_1",
        order_id="ord_1",
        customer_id="cus_1",
        amount=amount,
        currency="EUR",
        token=token,
        now=NOW,
        recent_attempts=recent,
        rules=RULES,
    )


def test_an_ordinary_attempt_passes_the_screen() -> None:
    assert screen(token="tok_visa", amount=500_000, recent_attempts=4, rules=RULES) is None


def test_the_fraud_token_is_suspect_whatever_the_amount() -> None:
    assert screen(token="tok_fraud", amount=1, recent_attempts=0, rules=RULES) == "fraud-token"


def test_an_amount_above_the_limit_is_suspect() -> None:
    assert (
        screen(token="tok_visa", amount=500_001, recent_attempts=0, rules=RULES) == "amount-limit"
    )


def test_more_attempts_than_the_velocity_limit_are_suspect() -> None:
    assert screen(token="tok_visa", amount=100, recent_attempts=5, rules=RULES) == "velocity"


def test_the_approving_token_authorizes() -> None:
    approved = attempt()
    assert (approved.status, approved.decline_reason) == (AuthorizationStatus.AUTHORIZED, None)


def test_the_declining_token_is_declined_with_its_reason() -> None:
    declined = attempt("tok_declined")
    assert (declined.status, declined.decline_reason) == (
        AuthorizationStatus.DECLINED,
        "card-declined",
    )
    assert not declined.fraud_suspected


def test_a_screened_attempt_is_declined_as_fraud() -> None:
    for token, amount, recent, reason in [
        ("tok_fraud", 100, 0, "fraud:fraud-token"),
        ("tok_visa", 600_000, 0, "fraud:amount-limit"),
        ("tok_visa", 100, 5, "fraud:velocity"),
    ]:
        declined = attempt(token, amount, recent)
        assert (declined.status, declined.decline_reason) == (AuthorizationStatus.DECLINED, reason)
        assert declined.fraud_suspected


def test_an_unknown_token_is_refused_outright() -> None:
    with pytest.raises(InvalidToken):
        attempt("tok_nonsense")


def test_a_repeat_for_other_money_is_a_mismatch() -> None:
    assert same_authorization(attempt(), 2_000, "EUR") == attempt()
    with pytest.raises(AuthorizationMismatch):
        same_authorization(attempt(), 2_001, "EUR")
    with pytest.raises(AuthorizationMismatch):
        same_authorization(attempt(), 2_000, "USD")


def test_void_lifts_an_authorization_once_and_is_idempotent() -> None:
    voided = void(attempt(), now=NOW)
    assert (voided.status, voided.voided_at) == (AuthorizationStatus.VOIDED, NOW)
    assert void(voided, now=NOW + timedelta(seconds=1)) is voided
    declined = attempt("tok_declined")
    assert void(declined, now=NOW) is declined


def test_a_captured_authorization_cannot_be_voided() -> None:
    with pytest.raises(AlreadyCaptured):
        void(capture(attempt(), now=NOW), now=NOW)


def test_capture_takes_an_authorization_once() -> None:
    captured = capture(attempt(), now=NOW)
    assert (captured.status, captured.captured_at) == (AuthorizationStatus.CAPTURED, NOW)
    assert capture(captured, now=NOW) is captured
    with pytest.raises(NotCapturable):
        capture(replace(attempt(), status=AuthorizationStatus.VOIDED), now=NOW)

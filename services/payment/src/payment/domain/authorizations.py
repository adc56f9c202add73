"""Authorizations: approve or decline an attempt, then void or capture it. Stdlib only.

Test tokens stand in for cards, like card networks' test numbers: `tok_visa` approves,
`tok_declined` declines, `tok_fraud` is stopped by the fraud screen. An order has at most
one live authorization (AUTHORIZED, then VOIDED or CAPTURED); declined attempts are kept
beside it for audit and do not stop a retry with another token.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from payment.domain.fraud import FRAUD_TOKENS, FraudRules, screen

APPROVING_TOKENS = frozenset({"tok_visa", "tok_mastercard", "tok_amex"})
DECLINING_TOKENS = {"tok_declined": "card-declined", "tok_insufficient_funds": "insufficient-funds"}
KNOWN_TOKENS = APPROVING_TOKENS | DECLINING_TOKENS.keys() | FRAUD_TOKENS
FRAUD_PREFIX = "fraud:"


class AuthorizationStatus(StrEnum):
    AUTHORIZED = "AUTHORIZED"
    DECLINED = "DECLINED"
    VOIDED = "VOIDED"
    CAPTURED = "CAPTURED"


class PaymentError(Exception):
    """Base of the reasons a payment command is refused."""


class InvalidToken(PaymentError):
    def __init__(self, token: str) -> None:
        super().__init__(f"unknown payment token {token!r}")
        self.token = token


class AuthorizationMismatch(PaymentError):
    """The order is already authorized, for another amount or currency."""

    def __init__(self, authorization_id: str) -> None:
        super().__init__(
            f"the order is already authorized as {authorization_id} for another amount"
        )
        self.authorization_id = authorization_id


class AlreadyCaptured(PaymentError):
    def __init__(self, authorization_id: str) -> None:
        super().__init__(f"authorization {authorization_id} is captured: refund instead")
        self.authorization_id = authorization_id


class NotCapturable(PaymentError):
    def __init__(self, authorization_id: str, status: AuthorizationStatus) -> None:
        super().__init__(f"authorization {authorization_id} is {status.value}: nothing to capture")
        self.authorization_id = authorization_id
        self.status = status

    @property
    def reason(self) -> str:
        """The reason given to others (PaymentCaptureFailed): `authorization-voided`, ..."""
        return f"authorization-{self.status.value.lower()}"


@dataclass(frozen=True)
class Authorization:
    id: str
    order_id: str
    customer_id: str
    amount: int
    currency: str
    status: AuthorizationStatus
    token: str
    created_at: datetime
    decline_reason: str | None = None
    voided_at: datetime | None = None
    captured_at: datetime | None = None

    @property
    def fraud_suspected(self) -> bool:
        return (self.decline_reason or "").startswith(FRAUD_PREFIX)


def authorize(
    *,
    authorization_id: str,
    order_id: str,
    customer_id: str,
    amount: int,
    currency: str,
    token: str,
    now: datetime,
    recent_attempts: int,
    rules: FraudRules,
) -> Authorization:
    """One attempt, screened then decided: AUTHORIZED, or DECLINED with its reason."""
    if token not in KNOWN_TOKENS:
        raise InvalidToken(token)
    suspect = screen(token=token, amount=amount, recent_attempts=recent_attempts, rules=rules)
    reason = FRAUD_PREFIX + suspect if suspect else DECLINING_TOKENS.get(token)
    return Authorization(
        id=authorization_id,
        order_id=order_id,
        customer_id=customer_id,
        amount=amount,
        currency=currency,
        status=AuthorizationStatus.DECLINED if reason else AuthorizationStatus.AUTHORIZED,
        token=token,
        created_at=now,
        decline_reason=reason,
    )


def same_authorization(existing: Authorization, amount: int, currency: str) -> Authorization:
    """The order's live authorization, if the repeat asks for the same money."""
    if (existing.amount, existing.currency) != (amount, currency):
        raise AuthorizationMismatch(existing.id)
    return existing


def void(authorization: Authorization, *, now: datetime) -> Authorization:
    """The hold on the customer's funds lifted; unchanged if nothing is held."""
    if authorization.status is AuthorizationStatus.CAPTURED:
        raise AlreadyCaptured(authorization.id)
    if authorization.status is not AuthorizationStatus.AUTHORIZED:
        return authorization
    return replace(authorization, status=AuthorizationStatus.VOIDED, voided_at=now)


def capture(authorization: Authorization, *, now: datetime) -> Authorization:
    """The authorized amount taken; unchanged if already captured."""
    if authorization.status is AuthorizationStatus.CAPTURED:
        return authorization
    if authorization.status is not AuthorizationStatus.AUTHORIZED:
        raise NotCapturable(authorization.id, authorization.status)
    return replace(authorization, status=AuthorizationStatus.CAPTURED, captured_at=now)

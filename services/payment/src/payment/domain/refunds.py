"""Refunds: money given back on a captured authorization, never more than was captured.

    amount = refundable(authorization, asked=1100, refunded=0)   # 1100, or less, or raises

Standard library only. One refund per return (the adapters key it by return id); the
sum of an authorization's refunds never passes its capture (ADR 0015).
"""

from dataclasses import dataclass
from datetime import datetime

from payment.domain.authorizations import Authorization, AuthorizationStatus


@dataclass(frozen=True)
class Refund:
    id: str
    authorization_id: str
    order_id: str
    return_id: str
    amount: int
    currency: str
    created_at: datetime


class NotRefundable(Exception):
    """Nothing can be given back; `reason` is a stable slug."""

    def __init__(self, authorization_id: str, reason: str) -> None:
        super().__init__(f"authorization {authorization_id} cannot be refunded: {reason}")
        self.authorization_id = authorization_id
        self.reason = reason


def refundable(authorization: Authorization, *, asked: int, refunded: int) -> int:
    """What may be refunded now for a return that asks `asked`, when `refunded` was already
    given back: `asked`, capped at what the capture has left. Raises NotRefundable when the
    money was never captured or nothing is left."""
    if authorization.status is not AuthorizationStatus.CAPTURED:
        raise NotRefundable(authorization.id, f"not-captured ({authorization.status.value})")
    left = authorization.amount - refunded
    if left <= 0 or asked <= 0:
        raise NotRefundable(authorization.id, "nothing-left-to-refund")
    return min(asked, left)

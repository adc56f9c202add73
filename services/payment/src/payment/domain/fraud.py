"""The fraud screen: may this authorization attempt go to the issuer at all? Stdlib only.

Rules run in a fixed order and the first hit is the reason given; a hit is final for the
attempt (it is recorded as declined, so it also counts towards the customer's velocity).
"""

from dataclasses import dataclass
from datetime import timedelta

FRAUD_TOKENS = frozenset({"tok_fraud"})


@dataclass(frozen=True)
class FraudRules:
    amount_limit: int
    velocity_max: int
    velocity_window: timedelta


def screen(*, token: str, amount: int, recent_attempts: int, rules: FraudRules) -> str | None:
    """The reason the attempt is suspect, or None.

    `recent_attempts` counts the customer's earlier attempts (approved or not) within
    `rules.velocity_window`: testing stolen cards looks like many attempts, most declined.
    """
    if token in FRAUD_TOKENS:
        return "fraud-token"
    if amount > rules.amount_limit:
        return "amount-limit"
    if recent_attempts >= rules.velocity_max:
        return "velocity"
    return None

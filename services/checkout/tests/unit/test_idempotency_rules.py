"""What a stored Idempotency-Key says about a request that arrives with it."""

from datetime import UTC, datetime, timedelta

import pytest
from checkout.domain.idempotency import (
    Claim,
    ClaimState,
    KeyAnswer,
    StoredKey,
    answer_for,
    claim_state_of,
)

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(seconds=30)


@pytest.mark.parametrize(
    ("stored", "fingerprint", "answer"),
    [
        (StoredKey("fp1", completed=True, locked_until=LATER, outcome={}), "fp1", KeyAnswer.REPLAY),
        (StoredKey("fp1", completed=True, locked_until=LATER, outcome={}), "fp2", KeyAnswer.REUSED),
        (StoredKey("fp1", False, LATER, None), "fp1", KeyAnswer.IN_PROGRESS),
        (StoredKey("fp1", False, LATER, None), "fp2", KeyAnswer.REUSED),
        # A lock that has passed belongs to a crashed process.
        (StoredKey("fp1", False, NOW, None), "fp1", KeyAnswer.TAKE_OVER),
    ],
)
def test_a_stored_key_answers_by_its_body_state_and_lock(
    stored: StoredKey, fingerprint: str, answer: KeyAnswer
) -> None:
    assert answer_for(stored, fingerprint=fingerprint, now=NOW) is answer


CLAIM = Claim("key-1", "clm_a", "ord_1")


@pytest.mark.parametrize(
    ("stored", "state"),
    [
        (StoredKey("fp1", False, NOW, None, "ord_1", "clm_a"), ClaimState.OURS),
        # Taken over: the new owner runs the same order and decides.
        (StoredKey("fp1", False, LATER, None, "ord_1", "clm_b"), ClaimState.TAKEN),
        (
            StoredKey("fp1", True, NOW, {"outcome": "confirmed"}, "ord_1", "clm_b"),
            ClaimState.CONFIRMED,
        ),
        (StoredKey("fp1", True, NOW, {"outcome": "refused"}, "ord_1", "clm_b"), ClaimState.SETTLED),
        # Released, then claimed again under another order id: ours is nobody's now.
        (StoredKey("fp1", False, LATER, None, "ord_2", "clm_c"), ClaimState.SETTLED),
        (None, ClaimState.SETTLED),
    ],
)
def test_after_a_failure_the_claim_says_who_answers_for_the_order(
    stored: StoredKey | None, state: ClaimState
) -> None:
    assert claim_state_of(stored, CLAIM) is state

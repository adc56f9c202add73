"""What a stored Idempotency-Key says about a request that arrives with it."""

from datetime import UTC, datetime, timedelta

import pytest
from checkout.domain.idempotency import KeyAnswer, StoredKey, answer_for

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

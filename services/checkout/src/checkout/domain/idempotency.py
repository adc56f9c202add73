"""What an Idempotency-Key already stored says about a request that arrives with it.

    answer = answer_for(StoredKey("fp1", completed=False, locked_until=t, outcome=None),
                        fingerprint="fp1", now=now)      # KeyAnswer.IN_PROGRESS

Plain rules, standard library only: the SQL that finds the key is in adapters/idempotency.py,
the transaction around it in application/keys.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


@dataclass(frozen=True)
class StoredKey:
    fingerprint: str
    completed: bool
    locked_until: datetime
    # The outcome kept for replays (application/outcomes.py `record_of`); None until completed.
    outcome: dict[str, Any] | None


class KeyAnswer(StrEnum):
    REPLAY = "replay"
    IN_PROGRESS = "in-progress"
    REUSED = "reused"
    TAKE_OVER = "take-over"


def answer_for(stored: StoredKey, *, fingerprint: str, now: datetime) -> KeyAnswer:
    if stored.fingerprint != fingerprint:
        return KeyAnswer.REUSED
    if stored.completed:
        return KeyAnswer.REPLAY
    if stored.locked_until > now:
        return KeyAnswer.IN_PROGRESS
    # The claim's lock has passed: the process that held it crashed.
    return KeyAnswer.TAKE_OVER

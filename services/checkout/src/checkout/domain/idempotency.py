"""What an Idempotency-Key already stored says about a request that arrives with it.

    answer = answer_for(StoredKey("fp1", completed=False, locked_until=t, outcome=None),
                        fingerprint="fp1", now=now)      # KeyAnswer.IN_PROGRESS

A claim is fenced: it names its owner, and only that owner may complete or release the
key; a takeover of a lapsed claim becomes the new owner and keeps the claim's order id.
A key released after a transient failure stays RETRYABLE: its retry runs under a new order
id that supersedes the failed attempt's, so the key ends with one order (ADR 0011).
After a failure, `claim_state_of` says who is responsible for what the order holds.

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
    # The claim's order (None only for keys claimed before claims were fenced) and owner.
    order_id: str | None = None
    owner: str | None = None
    # Released after a transient failure: a retry runs anew, superseding `order_id`.
    retryable: bool = False


@dataclass(frozen=True)
class Claim:
    """A key this request holds: `owner` is its fencing token, `order_id` the one order the
    key can ever store."""

    key: str
    owner: str
    order_id: str
    # The order of the key's earlier attempt that failed transiently: this one replaces it.
    supersedes: str | None = None


class KeyAnswer(StrEnum):
    REPLAY = "replay"
    IN_PROGRESS = "in-progress"
    REUSED = "reused"
    TAKE_OVER = "take-over"
    RETRY = "retry"


def answer_for(stored: StoredKey, *, fingerprint: str, now: datetime) -> KeyAnswer:
    if stored.fingerprint != fingerprint:
        return KeyAnswer.REUSED
    if stored.completed:
        return KeyAnswer.REPLAY
    if stored.retryable:
        return KeyAnswer.RETRY
    if stored.locked_until > now:
        return KeyAnswer.IN_PROGRESS
    # The claim's lock has passed: the process that held it crashed or stalled.
    return KeyAnswer.TAKE_OVER


class ClaimState(StrEnum):
    """Who answers for what a claim's order holds, after the claim's request failed."""

    # Still ours: we release the key and undo.
    OURS = "ours"
    # The order was stored CONFIRMED (by us or by a takeover): never undo it.
    CONFIRMED = "confirmed"
    # Another request took the claim over and is running with the same order id: its
    # outcome decides, so undoing now could release what it is about to confirm.
    TAKEN = "taken"
    # Ended without a confirmed order (refused, or released for a retry under a new order
    # id): nobody will use this order id again, so undoing is safe (and idempotent).
    SETTLED = "settled"


def claim_state_of(stored: StoredKey | None, claim: Claim) -> ClaimState:
    if stored is None or stored.retryable or stored.order_id not in (None, claim.order_id):
        # Released; a new claim of the key, if any, runs under a new order id.
        return ClaimState.SETTLED
    if stored.completed:
        confirmed = (stored.outcome or {}).get("outcome") == "confirmed"
        return ClaimState.CONFIRMED if confirmed else ClaimState.SETTLED
    return ClaimState.OURS if stored.owner == claim.owner else ClaimState.TAKEN

"""An Idempotency-Key claimed before a checkout runs, and settled when it fails.

    claimed = await claim_key(sessions, "key-1", fingerprint, order_id="ord_1", now=now,
                              lock=timedelta(seconds=30))
    if isinstance(claimed, Claim): ...   # the key is ours: run the checkout for claimed.order_id

Each function is one transaction of its own: the claim is committed before any call goes
out, so of two racing identical requests exactly one runs. The claim is also the persisted
intent of the checkout: it names the order id before anything is held for it, so a request
that takes over a lapsed claim continues that order (inventory and payment answer the same
hold and authorization for the same order id) instead of holding a second time.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from shop_servicekit import new_id
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from checkout.adapters import idempotency
from checkout.application.outcomes import InProgress, KeyReused, Replayed, outcome_from
from checkout.domain.idempotency import Claim, ClaimState, KeyAnswer, answer_for, claim_state_of


async def claim_key(
    sessions: async_sessionmaker[AsyncSession],
    key: str,
    fingerprint: str,
    *,
    order_id: str,
    now: datetime,
    lock: timedelta,
) -> Claim | Replayed | InProgress | KeyReused:
    """Our claim (with the order id to use: `order_id`, or the lapsed claim's); otherwise
    the answer the request gets without running."""
    owner = new_id("clm")
    async with sessions.begin() as session:
        claim = Claim(key, owner, order_id)
        if await idempotency.insert_key(
            session, claim, fingerprint, now=now, locked_until=now + lock
        ):
            return claim
        stored = await idempotency.lock_key(session, key)
        if stored is None:
            # Released between our INSERT and SELECT: the client raced its own retry.
            return InProgress()
        match answer_for(stored, fingerprint=fingerprint, now=now):
            case KeyAnswer.REUSED:
                return KeyReused()
            case KeyAnswer.REPLAY:
                assert stored.outcome is not None  # a completed key always keeps one
                return Replayed(outcome_from(stored.outcome))
            case KeyAnswer.IN_PROGRESS:
                return InProgress()
            case KeyAnswer.RETRY:
                # The earlier attempt failed transiently and was undone: a new order id
                # (its holds ended), which replaces that attempt's order once stored.
                await idempotency.reclaim(
                    session, key, owner=owner, order_id=order_id, locked_until=now + lock
                )
                return Claim(key, owner, order_id, supersedes=stored.order_id)
        kept = await idempotency.take_over(
            session, key, owner=owner, order_id=order_id, locked_until=now + lock
        )
        return Claim(key, owner, kept)


async def settle_claim(sessions: async_sessionmaker[AsyncSession], claim: Claim) -> ClaimState:
    """After a failed checkout: who answers for what its order holds. If the claim is still
    ours it is released in the same transaction, so a retry runs again (under a new order
    id; it supersedes the attempt this one superseded, if any: this one stored no order).

    Locking the key waits for any transaction completing it right now, so a commit that
    raised but landed is seen here as CONFIRMED: the caller must then not undo anything.
    """
    async with sessions.begin() as session:
        state = claim_state_of(await idempotency.lock_key(session, claim.key), claim)
        if state is ClaimState.OURS:
            if claim.supersedes is None:
                await idempotency.delete_key(session, claim)
            else:
                await idempotency.release_for_retry(session, claim, order_id=claim.supersedes)
        return state

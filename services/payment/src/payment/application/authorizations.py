"""Use cases: authorize an order's payment; void an authorization by its id or its order.

Each runs in one transaction. A declined attempt is committed too (it is the audit trail
and feeds the velocity rule); the caller turns its status into a 402. A void writes
`PaymentVoided` to the outbox in the same transaction as the status change.
"""

from dataclasses import dataclass
from datetime import datetime

from shop_contracts import Money, PaymentVoided
from shop_messaging import Outbox
from shop_servicekit import Clock, new_id
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from payment.adapters import repository
from payment.domain.authorizations import Authorization, authorize, same_authorization, void
from payment.domain.fraud import FraudRules

VOIDED_ON_REQUEST = "voided on request"


@dataclass(frozen=True)
class AuthorizePayment:
    order_id: str
    customer_id: str
    amount: int
    currency: str
    token: str


async def authorize_payment(
    sessions: async_sessionmaker[AsyncSession],
    command: AuthorizePayment,
    *,
    rules: FraudRules,
    clock: Clock,
) -> tuple[Authorization, bool]:
    """The attempt's outcome and whether it is new (False: the order's earlier authorization)."""
    try:
        return await _authorize(sessions, command, rules, clock())
    except IntegrityError:
        # A concurrent attempt for the same order by another customer id won the unique
        # live-order index; the order's authorization is theirs.
        async with sessions() as session:
            existing = await repository.get_live_for_order(session, command.order_id)
        if existing is None:
            raise
        return same_authorization(existing, command.amount, command.currency), False


async def _authorize(
    sessions: async_sessionmaker[AsyncSession],
    command: AuthorizePayment,
    rules: FraudRules,
    now: datetime,
) -> tuple[Authorization, bool]:
    async with sessions.begin() as session:
        await repository.lock_customer(session, command.customer_id)
        existing = await repository.get_live_for_order(session, command.order_id)
        if existing is not None:
            return same_authorization(existing, command.amount, command.currency), False
        recent = await repository.count_attempts_since(
            session, command.customer_id, now - rules.velocity_window
        )
        attempt = authorize(
            authorization_id=new_id("auth"),
            order_id=command.order_id,
            customer_id=command.customer_id,
            amount=command.amount,
            currency=command.currency,
            token=command.token,
            now=now,
            recent_attempts=recent,
            rules=rules,
        )
        await repository.add(session, attempt)
        return attempt, True


async def void_authorization(
    sessions: async_sessionmaker[AsyncSession],
    outbox: Outbox,
    authorization_id: str,
    *,
    clock: Clock,
) -> Authorization | None:
    """The authorization after the void, or None if there is no such authorization."""
    async with sessions.begin() as session:
        found = await repository.get(session, authorization_id, lock=True)
        return await void_found(session, outbox, found, now=clock(), reason=VOIDED_ON_REQUEST)


async def void_order_authorization(
    sessions: async_sessionmaker[AsyncSession], outbox: Outbox, order_id: str, *, clock: Clock
) -> Authorization | None:
    """Void the order's live authorization; None when the order has none (nothing held)."""
    async with sessions.begin() as session:
        found = await repository.get_live_for_order(session, order_id, lock=True)
        return await void_found(session, outbox, found, now=clock(), reason=VOIDED_ON_REQUEST)


async def void_found(
    session: AsyncSession,
    outbox: Outbox,
    found: Authorization | None,
    *,
    now: datetime,
    reason: str,
) -> Authorization | None:
    """Void `found` (locked by the caller) in the caller's transaction; PaymentVoided with
    `reason` only when something was held. Raises AlreadyCaptured."""
    if found is None:
        return None
    voided = void(found, now=now)
    if voided is not found:
        await repository.save_status(session, voided)
        await outbox.add(
            session,
            PaymentVoided(
                order_id=voided.order_id,
                authorization_id=voided.id,
                amount=Money(amount=voided.amount, currency=voided.currency),
                reason=reason,
            ),
        )
    return voided

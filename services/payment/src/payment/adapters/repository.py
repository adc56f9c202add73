"""Reads and writes of authorizations, in the caller's session (its transaction)."""

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from shop_servicekit import Page, Window, read_page
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from payment.adapters.tables import authorizations
from payment.domain.authorizations import Authorization, AuthorizationStatus

_LIVE = authorizations.c.status != AuthorizationStatus.DECLINED.value


async def lock_customer(session: AsyncSession, customer_id: str) -> None:
    """Serialise one customer's attempts until the transaction ends (the velocity rule
    counts them, and two racing attempts must not both see the count before either)."""
    await session.execute(select(func.pg_advisory_xact_lock(func.hashtext(customer_id))))


async def count_attempts_since(session: AsyncSession, customer_id: str, since: datetime) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(authorizations)
        .where(authorizations.c.customer_id == customer_id, authorizations.c.created_at >= since)
    )
    return int(count or 0)


async def add(session: AsyncSession, authorization: Authorization) -> None:
    await session.execute(
        authorizations.insert().values(
            id=authorization.id,
            order_id=authorization.order_id,
            customer_id=authorization.customer_id,
            amount=authorization.amount,
            currency=authorization.currency,
            status=authorization.status.value,
            decline_reason=authorization.decline_reason,
            token_fingerprint=fingerprint(authorization.token),
            created_at=authorization.created_at,
        )
    )


async def save_status(session: AsyncSession, authorization: Authorization) -> None:
    await session.execute(
        update(authorizations)
        .where(authorizations.c.id == authorization.id)
        .values(
            status=authorization.status.value,
            voided_at=authorization.voided_at,
            captured_at=authorization.captured_at,
        )
    )


async def get(
    session: AsyncSession, authorization_id: str, *, lock: bool = False
) -> Authorization | None:
    return await _one(session, authorizations.c.id == authorization_id, lock)


async def get_live_for_order(
    session: AsyncSession, order_id: str, *, lock: bool = False
) -> Authorization | None:
    """The order's authorization that is not a declined attempt, if any."""
    return await _one(session, (authorizations.c.order_id == order_id) & _LIVE, lock)


async def get_latest_declined_for_order(
    session: AsyncSession, order_id: str
) -> Authorization | None:
    """The order's most recent declined attempt, for orders that have nothing live."""
    row = (
        await session.execute(
            select(authorizations)
            .where(authorizations.c.order_id == order_id, ~_LIVE)
            .order_by(authorizations.c.created_at.desc(), authorizations.c.id.desc())
            .limit(1)
        )
    ).one_or_none()
    return None if row is None else _authorization(row)


async def _one(session: AsyncSession, where: Any, lock: bool) -> Authorization | None:
    query = select(authorizations).where(where)
    if lock:
        query = query.with_for_update()
    row = (await session.execute(query)).one_or_none()
    return None if row is None else _authorization(row)


def _authorization(row: Any) -> Authorization:
    return Authorization(
        id=row.id,
        order_id=row.order_id,
        customer_id=row.customer_id,
        amount=row.amount,
        currency=row.currency,
        status=AuthorizationStatus(row.status),
        token=row.token_fingerprint,  # read back, the token is its fingerprint
        created_at=row.created_at,
        decline_reason=row.decline_reason,
        voided_at=row.voided_at,
        captured_at=row.captured_at,
    )


_PAGE_COLUMNS = (
    authorizations.c.id,
    authorizations.c.order_id,
    authorizations.c.status,
    authorizations.c.amount,
    authorizations.c.currency,
    authorizations.c.created_at,
    authorizations.c.captured_at,
    authorizations.c.voided_at,
)


async def authorizations_page(session: AsyncSession, window: Window) -> Page:
    """Reconciliation's read (GET /internal/v1/authorizations): one keyset page."""
    t = authorizations
    return await read_page(
        session, select(*_PAGE_COLUMNS), t.c.created_at, t.c.id, window, render=_page_item
    )


def _page_item(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "authorization_id": row["id"],
        "order_id": row["order_id"],
        "status": row["status"],
        "amount": {"amount": row["amount"], "currency": row["currency"]},
        "created_at": row["created_at"],
        "captured_at": row["captured_at"],
        "voided_at": row["voided_at"],
    }


def fingerprint(token: str) -> str:
    """What payment stores of a token: enough to match two attempts, useless to charge."""
    return hashlib.sha256(token.encode()).hexdigest()

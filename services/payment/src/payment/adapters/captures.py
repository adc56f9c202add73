"""Writes of captures and of reported capture failures, in the caller's session."""

from datetime import datetime
from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from payment.adapters.tables import capture_failures, captures
from payment.domain.authorizations import Authorization


async def add(session: AsyncSession, capture_id: str, captured: Authorization) -> None:
    """The money taken for `captured` (an authorization just turned CAPTURED)."""
    await session.execute(
        captures.insert().values(
            id=capture_id,
            authorization_id=captured.id,
            amount=captured.amount,
            created_at=captured.captured_at,
        )
    )


async def record_failure(
    session: AsyncSession, authorization: Authorization, reason: str, now: datetime
) -> bool:
    """Note that `authorization` could not be captured; False if that was already noted."""
    result: Any = await session.execute(
        insert(capture_failures)
        .values(
            authorization_id=authorization.id,
            order_id=authorization.order_id,
            reason=reason,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=[capture_failures.c.authorization_id])
    )
    return bool(result.rowcount == 1)

"""Reads and writes of notifications, in the caller's session (its transaction)."""

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from communications.adapters.tables import notifications
from communications.domain.notifications import (
    Notification,
    NotificationKind,
    NotificationStatus,
)


async def claim(session: AsyncSession, pending: Notification) -> Notification:
    """Insert `pending` unless its event already has a notification; return the one that stands.

    The existing row is locked (FOR UPDATE) so two resends of one event cannot both send.
    """
    await session.execute(
        insert(notifications)
        .values(
            id=pending.id,
            order_id=pending.order_id,
            kind=pending.kind.value,
            about_event_id=pending.about_event_id,
            recipient=pending.recipient,
            subject=pending.subject,
            status=pending.status.value,
            created_at=pending.created_at,
        )
        .on_conflict_do_nothing(index_elements=[notifications.c.about_event_id])
    )
    row = (
        await session.execute(
            select(notifications)
            .where(notifications.c.about_event_id == pending.about_event_id)
            .with_for_update()
        )
    ).one()
    return _notification(row)


async def mark_sent(
    session: AsyncSession, notification_id: str, message_id: str, sent_at: datetime
) -> Notification:
    row = (
        await session.execute(
            notifications.update()
            .where(notifications.c.id == notification_id)
            .values(
                status=NotificationStatus.SENT.value, smtp_message_id=message_id, sent_at=sent_at
            )
            .returning(*notifications.c)
        )
    ).one()
    return _notification(row)


async def get_notification(session: AsyncSession, notification_id: str) -> Notification | None:
    row = (
        await session.execute(select(notifications).where(notifications.c.id == notification_id))
    ).one_or_none()
    return None if row is None else _notification(row)


async def notifications_for_order(session: AsyncSession, order_id: str) -> list[Notification]:
    rows = await session.execute(
        select(notifications)
        .where(notifications.c.order_id == order_id)
        .order_by(notifications.c.created_at, notifications.c.id)
    )
    return [_notification(row) for row in rows]


def _notification(row: Any) -> Notification:
    return Notification(
        id=row.id,
        order_id=row.order_id,
        kind=NotificationKind(row.kind),
        about_event_id=row.about_event_id,
        recipient=row.recipient,
        subject=row.subject,
        status=NotificationStatus(row.status),
        created_at=row.created_at,
        smtp_message_id=row.smtp_message_id,
        sent_at=row.sent_at,
    )

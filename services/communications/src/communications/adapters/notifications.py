"""Reads and writes of notifications, in the caller's session (its transaction)."""

from collections.abc import Mapping
from typing import Any

from shop_servicekit import Page, Window, read_page
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from communications.adapters.tables import notifications
from communications.domain.notifications import (
    Notification,
    NotificationKind,
    NotificationStatus,
)


async def lock_fact(
    session: AsyncSession, order_id: str, kind: NotificationKind, fact: str = ""
) -> None:
    """Serialise every attempt at one (order, kind, fact) until the transaction ends, so two
    deliveries of one fact (even under two event ids) cannot both find it unsent and mail."""
    key = func.hashtext(f"notification:{order_id}:{kind.value}:{fact}")
    await session.execute(select(func.pg_advisory_xact_lock(key)))


async def sent_for(
    session: AsyncSession, order_id: str, kind: NotificationKind, fact: str = ""
) -> Notification | None:
    """The SENT notification of this (order, kind, fact), if the customer was told already."""
    return await _one(
        session,
        (notifications.c.order_id == order_id)
        & (notifications.c.kind == kind.value)
        & (notifications.c.fact == fact)
        & (notifications.c.status == NotificationStatus.SENT.value),
    )


async def for_event(session: AsyncSession, about_event_id: str) -> Notification | None:
    return await _one(session, notifications.c.about_event_id == about_event_id)


async def sending_for(
    session: AsyncSession, order_id: str, kind: NotificationKind, fact: str = ""
) -> Notification | None:
    """An attempt at this (order, kind, fact) that recorded its intent and never its outcome:
    the email may or may not have reached the mail server."""
    return await _one(
        session,
        (notifications.c.order_id == order_id)
        & (notifications.c.kind == kind.value)
        & (notifications.c.fact == fact)
        & (notifications.c.status == NotificationStatus.SENDING.value),
    )


async def save_unsent(session: AsyncSession, attempt: Notification) -> None:
    """Store `attempt` (SENDING or FAILED) as its event's row, unless that row is SENT."""
    statement = insert(notifications).values(_values(attempt))
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[notifications.c.about_event_id],
            set_={"status": statement.excluded.status},
            where=notifications.c.status != NotificationStatus.SENT.value,
        )
    )


async def save_sent(session: AsyncSession, sent: Notification) -> Notification:
    """Store `sent` (SENT), over its event's FAILED row if an earlier attempt left one."""
    statement = insert(notifications).values(_values(sent))
    row = (
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=[notifications.c.about_event_id],
                set_={
                    "status": statement.excluded.status,
                    "smtp_message_id": statement.excluded.smtp_message_id,
                    "sent_at": statement.excluded.sent_at,
                },
            ).returning(*notifications.c)
        )
    ).one()
    return _notification(row)


async def get_notification(session: AsyncSession, notification_id: str) -> Notification | None:
    return await _one(session, notifications.c.id == notification_id)


async def notifications_for_order(session: AsyncSession, order_id: str) -> list[Notification]:
    rows = await session.execute(
        select(notifications)
        .where(notifications.c.order_id == order_id)
        .order_by(notifications.c.created_at, notifications.c.id)
    )
    return [_notification(row) for row in rows]


async def notifications_page(session: AsyncSession, window: Window) -> Page:
    """Reconciliation's read (GET /internal/v1/notifications): one keyset page."""
    t = notifications
    query = select(t.c.id, t.c.order_id, t.c.kind, t.c.status, t.c.created_at)
    return await read_page(session, query, t.c.created_at, t.c.id, window, render=_page_item)


def _page_item(row: Mapping[str, Any]) -> dict[str, Any]:
    """Every attempt, FAILED ones included (a fact may have several rows, one SENT at most)."""
    return {
        "notification_id": row["id"],
        "order_id": row["order_id"],
        "kind": row["kind"],
        "status": row["status"],
        "created_at": row["created_at"],
    }


async def _one(session: AsyncSession, where: Any) -> Notification | None:
    row = (await session.execute(select(notifications).where(where))).one_or_none()
    return None if row is None else _notification(row)


def _values(notification: Notification) -> dict[str, Any]:
    return {
        "id": notification.id,
        "order_id": notification.order_id,
        "kind": notification.kind.value,
        "fact": notification.fact,
        "about_event_id": notification.about_event_id,
        "recipient": notification.recipient,
        "subject": notification.subject,
        "status": notification.status.value,
        "smtp_message_id": notification.smtp_message_id,
        "created_at": notification.created_at,
        "sent_at": notification.sent_at,
    }


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
        fact=row.fact,
    )

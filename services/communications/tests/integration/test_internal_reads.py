"""Reconciliation's read of notifications on Communications (docs/reconciliation.md),
against the real database."""

from typing import Any

import httpx
import pytest
from communications.adapters import notifications
from communications.domain.notifications import (
    Notification,
    NotificationKind,
    NotificationStatus,
)
from shop_servicekit import Database
from shop_testing.credentials import customer_bearer

from .internal_api import (
    BACKORDERED,
    CONFIRMED,
    SHIPPED,
    T0,
    assert_problem,
    at,
    read_all,
)
from .order_events import confirmed, contact, deliver, handlers


async def arrange(
    db: Database, *rows: tuple[str, str, NotificationKind, float, NotificationStatus]
) -> None:
    """(notification_id, order_id, kind, minutes after T0, status), stored as such."""
    async with db.sessions.begin() as session:
        for notification_id, order_id, kind, minutes, status in rows:
            await notifications.save_sent(
                session,
                Notification(
                    id=notification_id,
                    order_id=order_id,
                    kind=kind,
                    about_event_id=f"evt_{notification_id}",
                    recipient="ada@example.com",
                    subject="...",
                    status=status,
                    created_at=at(minutes),
                ),
            )


# --- GET /internal/v1/notifications --------------------------------------------------------


async def test_the_read_answers_every_notification_created_in_the_window_with_its_fields(
    client: httpx.AsyncClient, db: Database
) -> None:
    sent, failed = NotificationStatus.SENT, NotificationStatus.FAILED
    await arrange(
        db,
        ("ntf_early", "ord_early", CONFIRMED, -1, sent),
        ("ntf_1", "ord_1", CONFIRMED, 0, sent),
        ("ntf_2a", "ord_2", SHIPPED, 1, failed),
        ("ntf_2b", "ord_2", SHIPPED, 2, sent),
        ("ntf_3", "ord_3", BACKORDERED, 3, failed),
        ("ntf_late", "ord_late", CONFIRMED, 4, sent),
    )
    items, _ = await read_all(client, since=T0.isoformat(), until=at(4).isoformat())
    assert items == [
        {
            "notification_id": "ntf_1",
            "order_id": "ord_1",
            "kind": "ORDER_CONFIRMED",
            "status": "SENT",
            "created_at": "2026-11-21T12:00:00Z",
        },
        {
            "notification_id": "ntf_2a",
            "order_id": "ord_2",
            "kind": "SHIPMENT_CREATED",
            "status": "FAILED",
            "created_at": "2026-11-21T12:01:00Z",
        },
        {
            "notification_id": "ntf_2b",
            "order_id": "ord_2",
            "kind": "SHIPMENT_CREATED",
            "status": "SENT",
            "created_at": "2026-11-21T12:02:00Z",
        },
        {
            "notification_id": "ntf_3",
            "order_id": "ord_3",
            "kind": "BACKORDER_DECLARED",
            "status": "FAILED",
            "created_at": "2026-11-21T12:03:00Z",
        },
    ]


async def test_the_read_pages_in_creation_order_and_a_shared_timestamp_skips_none(
    client: httpx.AsyncClient, db: Database
) -> None:
    # Arranged out of order; ntf_2 and ntf_3 share a timestamp, so the id breaks the tie.
    created = [("ntf_5", 3), ("ntf_1", 0), ("ntf_3", 1), ("ntf_2", 1), ("ntf_4", 2)]
    await arrange(
        db,
        *((n, n.replace("ntf", "ord"), CONFIRMED, m, NotificationStatus.SENT) for n, m in created),
    )
    items, pages = await read_all(client, since=T0.isoformat(), limit="2")
    assert [i["notification_id"] for i in items] == ["ntf_1", "ntf_2", "ntf_3", "ntf_4", "ntf_5"]
    assert pages == 3


async def test_a_notification_sent_by_the_consumer_is_in_the_window_of_its_creation(
    client: httpx.AsyncClient, db: Database, smtp: Any
) -> None:
    _, port = smtp
    table = handlers(db, port)
    assert await deliver(db, table, contact("ord_1"))
    assert await deliver(db, table, confirmed("ord_1"))
    [item] = (await read_all(client, since=T0.isoformat()))[0]
    # The public read, as the order's customer (cus_1, from OrderContactShared).
    mine = customer_bearer("cus_1")
    [listed] = (
        await client.get("/v1/notifications", params={"order_id": "ord_1"}, headers=mine)
    ).json()["notifications"]
    assert item == {
        "notification_id": listed["notification_id"],
        "order_id": "ord_1",
        "kind": "ORDER_CONFIRMED",
        "status": "SENT",
        "created_at": listed["created_at"],
    }


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-the-token"}])
async def test_the_read_is_a_401_problem_without_a_credential(
    client: httpx.AsyncClient, db: Database, headers: dict[str, str]
) -> None:
    await arrange(db, ("ntf_1", "ord_1", CONFIRMED, 0, NotificationStatus.SENT))
    response = await client.get(
        "/internal/v1/notifications", params={"since": T0.isoformat()}, headers=headers, auth=None
    )
    assert_problem(response, 401, "unauthorized")

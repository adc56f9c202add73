from datetime import UTC, datetime
from typing import Any

import httpx
from communications.adapters.smtp import SmtpMailer
from communications.application.notify import NotifyCustomer, notify_customer
from communications.application.records import remember_recipient
from communications.domain.notifications import NotificationKind, Recipient
from shop_messaging import Outbox
from shop_servicekit import Database, utc_now
from shop_testing.credentials import DEFAULT_CUSTOMER, customer_bearer

PROBLEMS = "https://shop.example/problems/"
MAIL_FROM = "Shop <orders@shop.example>"


async def send(db: Database, port: int, event_id: str, kind: NotificationKind) -> str:
    """A notification about ord_7, which belongs to the test client's customer."""
    recipient = Recipient("ord_7", DEFAULT_CUSTOMER, "ada@example.com", datetime.now(UTC))
    await remember_recipient(db.sessions, recipient)
    mailer = SmtpMailer("127.0.0.1", port, mail_from=MAIL_FROM)
    cmd = NotifyCustomer("ord_7", kind, event_id, "ada@example.com")
    async with db.sessions.begin() as session:
        result = await notify_customer(
            session,
            cmd,
            mailer=mailer,
            outbox=Outbox(),
            mail_from=MAIL_FROM,
            clock=utc_now,
            sessions=db.sessions,
        )
    return result.notification.id


async def test_an_orders_notifications_are_listed_oldest_first(
    client: httpx.AsyncClient, db: Database, smtp: Any
) -> None:
    _, port = smtp
    first = await send(db, port, "evt_a", NotificationKind.ORDER_CONFIRMED)
    second = await send(db, port, "evt_b", NotificationKind.BACKORDER_DECLARED)

    response = await client.get("/v1/notifications", params={"order_id": "ord_7"})
    assert response.status_code == 200
    listed = response.json()["notifications"]
    assert [n["notification_id"] for n in listed] == [first, second]
    assert [n["kind"] for n in listed] == ["ORDER_CONFIRMED", "BACKORDER_DECLARED"]
    assert {n["status"] for n in listed} == {"SENT"}
    assert listed[0]["smtp_message_id"] == "<evt_a@shop.example>"

    by_id = await client.get(f"/v1/notifications/{first}")
    assert by_id.status_code == 200
    assert by_id.json() == listed[0]


async def test_an_order_without_notifications_lists_none(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/notifications", params={"order_id": "ord_none"})
    assert response.json() == {"notifications": []}


async def test_an_unknown_notification_is_a_specific_404_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/notifications/ntf_missing")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == PROBLEMS + "notification-not-found"


async def test_another_customers_notifications_are_as_absent_as_unknown_ones(
    client: httpx.AsyncClient, db: Database, smtp: Any
) -> None:
    _, port = smtp
    sent = await send(db, port, "evt_c", NotificationKind.ORDER_CONFIRMED)
    mallory = customer_bearer("cus_mallory")

    listed = await client.get("/v1/notifications", params={"order_id": "ord_7"}, headers=mallory)
    by_id = await client.get(f"/v1/notifications/{sent}", headers=mallory)
    anonymous = await client.get(f"/v1/notifications/{sent}", auth=None)

    assert (listed.status_code, listed.json()) == (200, {"notifications": []})
    assert (by_id.status_code, by_id.json()["type"]) == (404, PROBLEMS + "notification-not-found")
    assert (anonymous.status_code, anonymous.json()["type"]) == (401, PROBLEMS + "unauthorized")
    mine = await client.get(f"/v1/notifications/{sent}")
    assert mine.status_code == 200
    assert "ada@example.com" not in mine.text  # a public read carries no email address

"""Reconciliation's routes on Communications (docs/reconciliation.md): the read of
notifications and the resend repair, against the real database and a real SMTP server."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from communications.adapters import notifications, recipients
from communications.application.records import remember_recipient
from communications.domain.notifications import (
    Notification,
    NotificationKind,
    NotificationStatus,
    Recipient,
    resend_event_id,
)
from shop_servicekit import Database
from sqlalchemy import text

from ..conftest import SmtpServer
from .order_events import confirmed, deliver, handlers, shipped, state

PROBLEMS = "https://shop.example/problems/"
ADMIN = {"Authorization": "Bearer dev-admin-token"}
T0 = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
CONFIRMED, SHIPPED, BACKORDERED = (
    NotificationKind.ORDER_CONFIRMED,
    NotificationKind.SHIPMENT_CREATED,
    NotificationKind.BACKORDER_DECLARED,
)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


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


async def read_all(client: httpx.AsyncClient, **params: str) -> tuple[list[dict[str, Any]], int]:
    """Every item of the window, following the cursor; and how many pages that took."""
    items: list[dict[str, Any]] = []
    pages = 0
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = await client.get("/internal/v1/notifications", params=query, headers=ADMIN)
        assert response.status_code == 200, response.text
        page = response.json()
        pages += 1
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items, pages


async def known(db: Database, order_id: str = "ord_1", *, total: int | None = 2856) -> None:
    """The order's recipient, as OrderConfirmed leaves it (its email itself never sent)."""
    await remember_recipient(
        db.sessions,
        Recipient(
            order_id,
            "cus_1",
            "ada@example.com",
            T0,
            total_amount=total,
            total_currency=None if total is None else "EUR",
        ),
    )


async def resend(
    client: httpx.AsyncClient,
    kind: NotificationKind | str = CONFIRMED,
    order_id: str = "ord_1",
    **given: Any,
) -> httpx.Response:
    """`given`: the optional `recipient` and `total` the repairer may send."""
    body = {"order_id": order_id, "kind": str(kind), **given}
    return await client.post("/internal/v1/notifications/resend", json=body, headers=ADMIN)


async def stored_recipient(db: Database, order_id: str = "ord_1") -> Recipient | None:
    async with db.sessions() as session:
        return await recipients.recipient_for(session, order_id)


GRACE = {"customer_id": "cus_9", "email": "grace@example.com"}


async def announced(db: Database) -> list[tuple[str, dict[str, Any]]]:
    async with db.sessions() as session:
        rows = await session.execute(text("SELECT type, payload FROM outbox ORDER BY id"))
        return [(row.type.split(".")[2], row.payload) for row in rows]


def assert_problem(response: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert (problem["type"], problem["status"]) == (PROBLEMS + slug, status)
    return problem


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
    assert await deliver(db, handlers(db, port), confirmed("ord_1"))
    [item] = (await read_all(client, since=T0.isoformat()))[0]
    [listed] = (await client.get("/v1/notifications", params={"order_id": "ord_1"})).json()[
        "notifications"
    ]
    assert item == {
        "notification_id": listed["notification_id"],
        "order_id": "ord_1",
        "kind": "ORDER_CONFIRMED",
        "status": "SENT",
        "created_at": listed["created_at"],
    }


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-the-token"}])
async def test_the_read_is_a_401_problem_without_the_admin_token(
    client: httpx.AsyncClient, db: Database, headers: dict[str, str]
) -> None:
    await arrange(db, ("ntf_1", "ord_1", CONFIRMED, 0, NotificationStatus.SENT))
    response = await client.get(
        "/internal/v1/notifications", params={"since": T0.isoformat()}, headers=headers
    )
    assert_problem(response, 401, "unauthorized")


# --- POST /internal/v1/notifications/resend ------------------------------------------------


async def test_a_resent_confirmation_mails_the_customer_once_with_the_total_and_announces_it(
    client: httpx.AsyncClient, db: Database, smtp: Any
) -> None:
    mailbox, _ = smtp
    await known(db)
    response = await resend(client, CONFIRMED)

    assert response.status_code == 201, response.text
    body = response.json()
    about = resend_event_id("ord_1", CONFIRMED)
    assert about.startswith("rsd_")
    assert (body["order_id"], body["kind"], body["status"]) == ("ord_1", "ORDER_CONFIRMED", "SENT")
    assert (body["about_event_id"], body["smtp_message_id"]) == (about, f"<{about}@shop.example>")
    [message] = mailbox.messages
    assert (message["To"], message["Subject"], message["Message-ID"]) == (
        "ada@example.com",
        "Your order ord_1 is confirmed",
        f"<{about}@shop.example>",
    )
    assert "(total 28.56 EUR)" in message.get_payload()
    assert await announced(db) == [
        (
            "CustomerNotified",
            {
                "order_id": "ord_1",
                "notification_id": body["notification_id"],
                "kind": "ORDER_CONFIRMED",
                "about_event_id": about,
            },
        )
    ]


async def test_a_confirmation_resent_without_a_known_total_says_confirmed_without_one(
    client: httpx.AsyncClient, db: Database, smtp: Any
) -> None:
    mailbox, _ = smtp
    await known(db, total=None)  # remembered before totals were
    assert (await resend(client, CONFIRMED)).status_code == 201
    [message] = mailbox.messages
    assert "Order ord_1 is confirmed. We are getting it ready" in message.get_payload()


@pytest.mark.parametrize(
    ("kind", "subject", "says"),
    [
        (SHIPPED, "Your order ord_1 is being packed", "is being packed at our warehouse"),
        (BACKORDERED, "Your order ord_1 is delayed", "(some items). Your order is safe"),
    ],
)
async def test_a_resent_shipment_email_is_the_kinds_message_without_its_events_details(
    client: httpx.AsyncClient,
    db: Database,
    smtp: Any,
    kind: NotificationKind,
    subject: str,
    says: str,
) -> None:
    mailbox, _ = smtp
    await known(db)
    response = await resend(client, kind)
    assert response.status_code == 201, response.text
    assert (response.json()["kind"], response.json()["status"]) == (kind.value, "SENT")
    [message] = mailbox.messages
    assert message["Subject"] == subject
    assert says in message.get_payload()
    assert [kind for kind, _ in await announced(db)] == ["CustomerNotified"]


async def test_repeating_a_resend_is_a_200_that_mails_nobody(
    client: httpx.AsyncClient, db: Database, smtp: Any
) -> None:
    mailbox, _ = smtp
    await known(db)
    first = await resend(client, SHIPPED)
    before = await state(db, "ord_1")
    again = await resend(client, SHIPPED)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert len(mailbox.messages) == 1
    assert await state(db, "ord_1") == before


async def test_concurrent_resends_of_one_fact_mail_once(
    client: httpx.AsyncClient, db: Database, smtp: Any
) -> None:
    mailbox, _ = smtp
    await known(db)
    responses = await asyncio.gather(*(resend(client, SHIPPED) for _ in range(3)))
    assert sorted(r.status_code for r in responses) == [200, 200, 201]
    assert len({r.json()["notification_id"] for r in responses}) == 1
    assert len(mailbox.messages) == 1


async def test_a_resend_of_a_fact_the_consumer_already_mailed_answers_that_email(
    client: httpx.AsyncClient, db: Database, smtp: Any
) -> None:
    mailbox, port = smtp
    event = confirmed("ord_1")
    assert await deliver(db, handlers(db, port), event)
    before = await state(db, "ord_1")

    response = await resend(client, CONFIRMED)
    assert response.status_code == 200, response.text
    assert (response.json()["about_event_id"], response.json()["status"]) == (event.id, "SENT")
    assert len(mailbox.messages) == 1
    assert await state(db, "ord_1") == before


async def test_the_lost_event_redelivered_after_a_resend_mails_nobody(
    client: httpx.AsyncClient, db: Database, smtp: Any
) -> None:
    mailbox, port = smtp
    await known(db)
    assert (await resend(client, SHIPPED)).status_code == 201
    before = await state(db, "ord_1")

    assert await deliver(db, handlers(db, port), shipped("ord_1"))
    assert len(mailbox.messages) == 1
    assert await state(db, "ord_1") == before


async def test_a_resend_for_an_order_never_confirmed_here_is_a_409_recipient_unknown(
    client: httpx.AsyncClient, db: Database, smtp: Any
) -> None:
    mailbox, _ = smtp
    problem = assert_problem(await resend(client, SHIPPED), 409, "recipient-unknown")
    assert (problem["order_id"], problem["kind"]) == ("ord_1", "SHIPMENT_CREATED")
    assert mailbox.messages == []
    assert await state(db, "ord_1") == {"notifications": [], "announced": []}


async def test_a_resend_for_an_order_never_confirmed_here_mails_the_recipient_given_and_keeps_it(
    client: httpx.AsyncClient, db: Database, smtp: Any
) -> None:
    # OrderConfirmed was lost here; the repairer says who the customer is (checkout knows).
    mailbox, port = smtp
    response = await resend(
        client, CONFIRMED, recipient=GRACE, total={"amount": 4200, "currency": "EUR"}
    )

    assert response.status_code == 201, response.text
    assert (response.json()["recipient"], response.json()["status"]) == (
        "grace@example.com",
        "SENT",
    )
    [message] = mailbox.messages
    assert (message["To"], message["Subject"]) == (
        "grace@example.com",
        "Your order ord_1 is confirmed",
    )
    assert "(total 42.00 EUR)" in message.get_payload()
    kept = await stored_recipient(db)
    assert kept is not None
    assert (kept.customer_id, kept.email, kept.total_amount, kept.total_currency) == (
        "cus_9",
        "grace@example.com",
        4200,
        "EUR",
    )
    # Kept for the order's later emails: the shipment event, when it comes, finds it.
    assert await deliver(db, handlers(db, port), shipped("ord_1"))
    assert [m["To"] for m in mailbox.messages] == ["grace@example.com"] * 2


async def test_a_recipient_given_without_a_total_resends_a_confirmation_without_one(
    client: httpx.AsyncClient, db: Database, smtp: Any
) -> None:
    mailbox, _ = smtp
    assert (await resend(client, SHIPPED, recipient=GRACE)).status_code == 201
    assert (await resend(client, CONFIRMED, recipient=GRACE)).status_code == 201
    assert [m["To"] for m in mailbox.messages] == ["grace@example.com"] * 2
    assert "Order ord_1 is confirmed. We are getting it ready" in mailbox.messages[1].get_payload()
    kept = await stored_recipient(db)
    assert kept is not None
    assert kept.total_amount is None


async def test_the_recipient_remembered_from_order_confirmed_wins_over_the_one_given(
    client: httpx.AsyncClient, db: Database, smtp: Any
) -> None:
    mailbox, _ = smtp
    await known(db)
    response = await resend(
        client, CONFIRMED, recipient=GRACE, total={"amount": 1, "currency": "USD"}
    )

    assert response.status_code == 201, response.text
    [message] = mailbox.messages
    assert message["To"] == "ada@example.com"
    assert "(total 28.56 EUR)" in message.get_payload()
    kept = await stored_recipient(db)
    assert kept is not None
    assert (kept.customer_id, kept.email, kept.total_amount) == ("cus_1", "ada@example.com", 2856)


async def test_a_total_given_fills_a_confirmation_whose_recipient_was_remembered_without_one(
    client: httpx.AsyncClient, db: Database, smtp: Any
) -> None:
    mailbox, _ = smtp
    await known(db, total=None)
    response = await resend(client, CONFIRMED, total={"amount": 4200, "currency": "EUR"})
    assert response.status_code == 201, response.text
    [message] = mailbox.messages
    assert (message["To"], "(total 42.00 EUR)" in message.get_payload()) == (
        "ada@example.com",
        True,
    )


async def test_a_total_alone_names_no_one_a_409_recipient_unknown(
    client: httpx.AsyncClient, db: Database, smtp: Any
) -> None:
    mailbox, _ = smtp
    response = await resend(client, CONFIRMED, total={"amount": 4200, "currency": "EUR"})
    assert_problem(response, 409, "recipient-unknown")
    assert mailbox.messages == []
    assert await stored_recipient(db) is None


@pytest.mark.parametrize(
    "given",
    [
        {"recipient": {"customer_id": "cus_9", "email": "not-an-address"}},
        {"recipient": {"customer_id": "", "email": "grace@example.com"}},
        {"recipient": {"email": "grace@example.com"}},
        {"recipient": {**GRACE, "name": "Grace"}},
        {"recipient": GRACE, "total": {"amount": -1, "currency": "EUR"}},
        {"recipient": GRACE, "total": {"amount": 100, "currency": "eur"}},
        {"recipient": GRACE, "total": {"amount": 100}},
    ],
)
async def test_a_malformed_recipient_or_total_is_a_422_problem_that_stores_nothing(
    client: httpx.AsyncClient, db: Database, smtp: Any, given: dict[str, Any]
) -> None:
    mailbox, _ = smtp
    assert_problem(await resend(client, CONFIRMED, **given), 422, "validation-error")
    assert mailbox.messages == []
    assert await stored_recipient(db) is None


async def test_a_resend_with_the_mail_server_down_is_a_503_that_records_the_failed_attempt(
    client: httpx.AsyncClient, db: Database, mail_server: SmtpServer
) -> None:
    await known(db)
    about = resend_event_id("ord_1", SHIPPED)

    problem = assert_problem(await resend(client, SHIPPED), 503, "smtp-unavailable")
    assert await state(db, "ord_1") == {
        "notifications": [("SHIPMENT_CREATED", about, "FAILED")],
        "announced": [],
    }
    [failed] = (await read_all(client, since=T0.isoformat()))[0]
    assert (failed["notification_id"], failed["status"]) == (problem["notification_id"], "FAILED")

    # The server is back: the next resend sends it, under the same notification and
    # Message-ID.
    mail_server.start()
    response = await resend(client, SHIPPED)
    assert response.status_code == 201, response.text
    assert response.json()["notification_id"] == problem["notification_id"]
    [message] = mail_server.messages
    assert message["Message-ID"] == f"<{about}@shop.example>"
    assert await state(db, "ord_1") == {
        "notifications": [("SHIPMENT_CREATED", about, "SENT")],
        "announced": [about],
    }


async def test_an_unknown_kind_is_a_422_problem(client: httpx.AsyncClient, db: Database) -> None:
    await known(db)
    assert_problem(await resend(client, "ORDER_SHIPPED"), 422, "validation-error")


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-the-token"}])
async def test_the_resend_is_a_401_problem_without_the_admin_token(
    client: httpx.AsyncClient, db: Database, smtp: Any, headers: dict[str, str]
) -> None:
    mailbox, _ = smtp
    await known(db)
    response = await client.post(
        "/internal/v1/notifications/resend",
        json={"order_id": "ord_1", "kind": "SHIPMENT_CREATED"},
        headers=headers,
    )
    assert_problem(response, 401, "unauthorized")
    assert mailbox.messages == []
    assert await state(db, "ord_1") == {"notifications": [], "announced": []}

"""Reconciliation's resend repair on Communications (docs/reconciliation.md), against the
real database and a real SMTP server."""

import asyncio
from typing import Any

import httpx
import pytest
from communications.domain.notifications import (
    NotificationKind,
    resend_event_id,
)
from shop_servicekit import Database

from .internal_api import (
    BACKORDERED,
    CONFIRMED,
    SHIPPED,
    announced,
    assert_problem,
    known,
    resend,
)
from .order_events import confirmed, contact, deliver, handlers, shipped, state


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
    table = handlers(db, port)
    assert await deliver(db, table, contact("ord_1"))
    assert await deliver(db, table, event)
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

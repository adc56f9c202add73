"""Reconciliation's resend repair on Communications, continued: the recipient and total the
repairer may give (checkout's, for an OrderConfirmed never seen here), and the refusals."""

from typing import Any

import httpx
import pytest
from communications.domain.notifications import (
    resend_event_id,
)
from shop_servicekit import Database

from ..conftest import SmtpServer
from .internal_api import (
    CONFIRMED,
    GRACE,
    SHIPPED,
    T0,
    assert_problem,
    known,
    read_all,
    resend,
    stored_recipient,
)
from .order_events import deliver, handlers, shipped, state


async def test_a_resend_for_an_order_never_confirmed_here_mails_the_recipient_given_and_keeps_it(
    client: httpx.AsyncClient, db: Database, smtp: Any
) -> None:
    # OrderConfirmed was lost here; the repairer says who the customer is (checkout knows).
    mailbox, port = smtp
    response = await resend(
        client, CONFIRMED, recipient=GRACE, total={"amount": 4200, "currency": "EUR"}
    )

    assert response.status_code == 201, response.text
    assert response.json()["status"] == "SENT"
    assert "recipient" not in response.json()  # no email address in a read
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
async def test_the_resend_is_a_401_problem_without_a_credential(
    client: httpx.AsyncClient, db: Database, smtp: Any, headers: dict[str, str]
) -> None:
    mailbox, _ = smtp
    await known(db)
    response = await client.post(
        "/internal/v1/notifications/resend",
        json={"order_id": "ord_1", "kind": "SHIPMENT_CREATED"},
        headers=headers,
        auth=None,
    )
    assert_problem(response, 401, "unauthorized")
    assert mailbox.messages == []
    assert await state(db, "ord_1") == {"notifications": [], "announced": []}

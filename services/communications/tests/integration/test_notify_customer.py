"""`notify_customer` against the real database and a real SMTP server."""

import asyncio
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from communications.adapters.smtp import SmtpMailer
from communications.application.notify import Notified, NotifyCustomer, notify_customer
from communications.domain.errors import NotificationFailed
from communications.domain.notifications import NotificationKind, NotificationStatus
from shop_messaging import Outbox
from shop_servicekit import Database
from shop_testing.ports import free_port
from sqlalchemy import text

MAIL_FROM = "Shop <orders@shop.example>"
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def command(
    event_id: str = "evt_1",
    order_id: str = "ord_1",
    kind: NotificationKind = NotificationKind.ORDER_CONFIRMED,
) -> NotifyCustomer:
    return NotifyCustomer(
        order_id=order_id,
        kind=kind,
        about_event_id=event_id,
        recipient="ada@example.com",
        facts={"total": "59.00 EUR"},
    )


async def notify(db: Database, port: int, cmd: NotifyCustomer) -> Notified:
    mailer = SmtpMailer("127.0.0.1", port, mail_from=MAIL_FROM, timeout=5)
    async with db.sessions.begin() as session:
        return await notify_customer(
            session,
            cmd,
            mailer=mailer,
            outbox=Outbox(),
            mail_from=MAIL_FROM,
            clock=lambda: NOW,
            sessions=db.sessions,
        )


async def outbox_types(db: Database) -> list[Any]:
    async with db.sessions() as session:
        rows = await session.execute(text("SELECT type, key FROM outbox ORDER BY id"))
        return [tuple(row) for row in rows]


async def stored(db: Database) -> list[Any]:
    async with db.sessions() as session:
        rows = await session.execute(
            text("SELECT id, about_event_id, status FROM notifications ORDER BY created_at, id")
        )
        return [tuple(row) for row in rows]


async def test_the_customer_gets_one_email_whose_message_id_names_the_event(
    db: Database, smtp: Any
) -> None:
    handler, port = smtp
    result = await notify(db, port, command())

    assert result.sent_now
    assert result.notification.status is NotificationStatus.SENT
    assert result.notification.smtp_message_id == "<evt_1@shop.example>"
    assert result.notification.id.startswith("ntf_")
    [message] = handler.messages
    assert message["Message-ID"] == "<evt_1@shop.example>"
    assert message["To"] == "ada@example.com"
    assert message["Subject"] == "Your order ord_1 is confirmed"
    assert "59.00 EUR" in message.get_payload()


async def test_the_same_event_twice_sends_one_email_and_keeps_one_notification(
    db: Database, smtp: Any
) -> None:
    handler, port = smtp
    first = await notify(db, port, command())
    second = await notify(db, port, command())

    assert not second.sent_now
    assert second.notification == first.notification
    assert len(handler.messages) == 1
    assert await outbox_types(db) == [("shop.communications.CustomerNotified.v1", "ord_1")]


async def test_the_same_fact_under_a_new_event_id_sends_nothing(db: Database, smtp: Any) -> None:
    handler, port = smtp
    first = await notify(db, port, command("evt_1"))
    republished = await notify(db, port, command("evt_2"))

    assert not republished.sent_now
    assert republished.notification == first.notification
    assert len(handler.messages) == 1
    assert len(await stored(db)) == 1  # and no stray row for the republished event


async def test_racing_duplicates_of_one_fact_send_one_email(db: Database, smtp: Any) -> None:
    handler, port = smtp
    results = await asyncio.gather(
        notify(db, port, command("evt_1")),
        notify(db, port, command("evt_1")),
        notify(db, port, command("evt_2")),
    )

    assert sorted(r.sent_now for r in results) == [False, False, True]
    assert len(handler.messages) == 1


async def test_each_kind_of_news_about_one_order_gets_its_email(db: Database, smtp: Any) -> None:
    handler, port = smtp
    await notify(db, port, command("evt_1", kind=NotificationKind.ORDER_CONFIRMED))
    await notify(db, port, command("evt_2", kind=NotificationKind.SHIPMENT_CREATED))
    assert [m["Message-ID"] for m in handler.messages] == [
        "<evt_1@shop.example>",
        "<evt_2@shop.example>",
    ]


async def test_an_unreachable_mail_server_raises_and_leaves_a_failed_notification_a_retry_sends(
    db: Database, smtp: Any
) -> None:
    handler, port = smtp
    with pytest.raises(NotificationFailed) as failed:
        await notify(db, free_port(), command())

    # The caller's transaction rolled back; the FAILED row was recorded in its own.
    [(notification_id, event_id, status)] = await stored(db)
    assert (notification_id, event_id, status) == (failed.value.notification.id, "evt_1", "FAILED")
    assert await outbox_types(db) == []

    retried = await notify(db, port, command())
    assert retried.sent_now
    assert retried.notification.id == notification_id
    assert retried.notification.status is NotificationStatus.SENT
    assert await stored(db) == [(notification_id, "evt_1", "SENT")]
    assert len(handler.messages) == 1


async def test_the_intent_is_committed_before_the_mail_server_sees_the_email(
    db: Database, smtp: Any
) -> None:
    _, port = smtp
    seen: list[Any] = []

    class Watching(SmtpMailer):
        async def send(self, email: Any) -> str:
            seen.extend(await stored(db))  # another connection: only what was committed
            return await super().send(email)

    mailer = Watching("127.0.0.1", port, mail_from=MAIL_FROM, timeout=5)
    async with db.sessions.begin() as session:
        sent = await notify_customer(
            session, command(), mailer=mailer, outbox=Outbox(), mail_from=MAIL_FROM,
            clock=lambda: NOW, sessions=db.sessions,
        )  # fmt: skip
    assert seen == [(sent.notification.id, "evt_1", "SENDING")]
    assert await stored(db) == [(sent.notification.id, "evt_1", "SENT")]


async def test_an_attempt_cut_short_after_its_intent_is_sent_again_under_its_message_id(
    db: Database, smtp: Any
) -> None:
    """A crash between the server's acceptance and the SENT commit leaves the intent; the
    next attempt (here under a republished event id) cannot know whether the email left,
    so it sends it again as the same notification, with the same Message-ID."""
    handler, port = smtp
    async with db.sessions.begin() as session:
        await session.execute(
            text(
                "INSERT INTO notifications (id, order_id, kind, about_event_id, recipient,"
                " subject, status, created_at) VALUES ('ntf_cut', 'ord_1', 'ORDER_CONFIRMED',"
                " 'evt_1', 'ada@example.com', 's', 'SENDING', now())"
            )
        )
    again = await notify(db, port, command("evt_2"))

    assert again.sent_now
    assert again.notification.id == "ntf_cut"
    assert [m["Message-ID"] for m in handler.messages] == ["<evt_1@shop.example>"]
    assert await stored(db) == [("ntf_cut", "evt_1", "SENT")]
    assert await notify(db, port, command("evt_3")) == replace(again, sent_now=False)
    assert len(handler.messages) == 1


async def test_an_attempt_cut_short_at_one_return_is_not_taken_for_another_returns_email(
    db: Database, smtp: Any
) -> None:
    """Two returns of one order are two facts: the second return's email is its own, and
    the first return's unsettled attempt is still sent again under its own Message-ID."""
    handler, port = smtp
    async with db.sessions.begin() as session:
        await session.execute(
            text(
                "INSERT INTO notifications (id, order_id, kind, about_event_id, recipient,"
                " subject, status, created_at, fact) VALUES ('ntf_cut', 'ord_1',"
                " 'RETURN_RECEIVED', 'evt_ret_1', 'ada@example.com', 's', 'SENDING', now(),"
                " 'ret_1')"
            )
        )
    returned = NotificationKind.RETURN_RECEIVED
    second = await notify(db, port, replace(command("evt_ret_2", kind=returned), fact="ret_2"))
    first = await notify(db, port, replace(command("evt_ret_1b", kind=returned), fact="ret_1"))

    assert second.notification.id != "ntf_cut"
    assert first.notification.id == "ntf_cut"
    assert [m["Message-ID"] for m in handler.messages] == [
        "<evt_ret_2@shop.example>",
        "<evt_ret_1@shop.example>",
    ]
    assert sorted(await stored(db)) == sorted(
        [("ntf_cut", "evt_ret_1", "SENT"), (second.notification.id, "evt_ret_2", "SENT")]
    )

"""Communications' consumer handlers against the real database and a real SMTP server, each
delivery as the runner makes it (inbox claim and handler in one transaction)."""

from typing import Any

import pytest
from communications.domain.errors import NotificationFailed, RecipientUnknown
from shop_servicekit import Database

from .internal_api import stored_recipient
from .order_events import (
    backordered,
    confirmed,
    contact,
    deliver,
    handled,
    handlers,
    new_order_id,
    shipped,
    state,
)


async def test_an_order_confirmation_mails_the_customer_once_and_announces_it(
    db: Database, smtp: Any
) -> None:
    mailbox, port = smtp
    table = handlers(db, port)
    order_id = new_order_id()
    event = confirmed(order_id)
    assert await deliver(db, table, contact(order_id))

    assert await deliver(db, table, event)

    [message] = mailbox.messages
    assert (message["To"], message["Subject"]) == (
        "ada@example.com",
        f"Your order {order_id} is confirmed",
    )
    assert "28.56 EUR" in message.get_payload()
    assert await state(db, order_id) == {
        "notifications": [("ORDER_CONFIRMED", event.id, "SENT")],
        "announced": [event.id],
    }


async def test_a_duplicate_delivery_sends_nothing(db: Database, smtp: Any) -> None:
    mailbox, port = smtp
    table = handlers(db, port)
    order_id = new_order_id()
    event = confirmed(order_id)
    await deliver(db, table, contact(order_id))
    await deliver(db, table, event)
    before = await state(db, order_id)

    assert not await deliver(db, table, event)
    assert len(mailbox.messages) == 1
    assert await state(db, order_id) == before


async def test_a_fact_republished_under_a_new_event_id_sends_nothing(
    db: Database, smtp: Any
) -> None:
    mailbox, port = smtp
    table = handlers(db, port)
    order_id = new_order_id()
    await deliver(db, table, contact(order_id))
    await deliver(db, table, confirmed(order_id))
    await deliver(db, table, shipped(order_id))
    before = await state(db, order_id)

    assert await deliver(db, table, confirmed(order_id))
    assert await deliver(db, table, shipped(order_id))

    assert len(mailbox.messages) == 2
    assert await state(db, order_id) == before


async def test_every_email_goes_to_the_address_shared_with_the_order(
    db: Database, smtp: Any
) -> None:
    mailbox, port = smtp
    table = handlers(db, port)
    order_id = new_order_id()
    await deliver(db, table, contact(order_id, email="grace@example.com"))
    await deliver(db, table, confirmed(order_id))

    await deliver(db, table, backordered(order_id))
    await deliver(db, table, shipped(order_id))

    assert [(m["To"], m["Subject"]) for m in mailbox.messages] == [
        ("grace@example.com", f"Your order {order_id} is confirmed"),
        ("grace@example.com", f"Your order {order_id} is delayed"),
        ("grace@example.com", f"Your order {order_id} is being packed"),
    ]
    assert "SKU-LAMP-01" in mailbox.messages[1].get_payload()
    kinds = [kind for kind, _, _ in (await state(db, order_id))["notifications"]]
    assert kinds == ["ORDER_CONFIRMED", "BACKORDER_DECLARED", "SHIPMENT_CREATED"]


@pytest.mark.parametrize("ahead", ["confirmation", "shipment"])
async def test_an_event_ahead_of_the_orders_contact_is_retried_and_sent_once_it_is_known(
    db: Database, smtp: Any, ahead: str
) -> None:
    mailbox, port = smtp
    table = handlers(db, port)
    order_id = new_order_id()
    early = confirmed(order_id) if ahead == "confirmation" else shipped(order_id)

    with pytest.raises(RecipientUnknown):
        await deliver(db, table, early)
    # Rolled back, inbox claim included: the runner's next attempt is a real one.
    assert not await handled(db, early.id)
    assert await state(db, order_id) == {"notifications": [], "announced": []}

    await deliver(db, table, contact(order_id))
    assert await deliver(db, table, early)
    [message] = mailbox.messages
    news = "is confirmed" if ahead == "confirmation" else "is being packed"
    assert (message["To"], message["Subject"]) == (
        "ada@example.com",
        f"Your order {order_id} {news}",
    )


async def test_a_mail_server_down_then_up_sends_the_email_exactly_once(
    db: Database, mail_server: Any
) -> None:
    table = handlers(db, mail_server.port)  # nothing listens there yet
    order_id = new_order_id()
    event = confirmed(order_id)
    assert await deliver(db, table, contact(order_id))

    with pytest.raises(NotificationFailed):
        await deliver(db, table, event)
    # The total outlives the failed email: a resent confirmation names it.
    remembered = await stored_recipient(db, order_id)
    assert remembered is not None
    assert (remembered.total_amount, remembered.total_currency) == (2856, "EUR")
    # Retried by the runner (nothing claimed); the attempt stays visible as FAILED; and
    # the address is known, so the shipment email need not wait for this one.
    assert not await handled(db, event.id)
    assert await state(db, order_id) == {
        "notifications": [("ORDER_CONFIRMED", event.id, "FAILED")],
        "announced": [],
    }
    shipment = shipped(order_id)
    with pytest.raises(NotificationFailed):
        await deliver(db, table, shipment)

    mail_server.start()
    assert await deliver(db, table, event)
    assert not await deliver(db, table, event)

    [message] = mail_server.messages
    assert message["Message-ID"] == f"<{event.id}@shop.example>"
    assert await state(db, order_id) == {
        "notifications": [
            ("ORDER_CONFIRMED", event.id, "SENT"),
            ("SHIPMENT_CREATED", shipment.id, "FAILED"),
        ],
        "announced": [event.id],
    }

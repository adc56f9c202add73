"""The customer is mailed once per received return, at the address the order's
OrderContactShared brought (ReturnReceived carries none)."""

from typing import Any

import pytest
from communications.domain.errors import RecipientUnknown
from shop_contracts import CloudEvent, ReturnLine, ReturnReceived
from shop_servicekit import Database

from .order_events import contact, deliver, eur, handlers, new_order_id


def received(order_id: str, return_id: str) -> CloudEvent[ReturnReceived]:
    return CloudEvent.create(
        ReturnReceived(
            order_id=order_id,
            return_id=return_id,
            customer_id="cus_1",
            lines=(ReturnLine(sku="SKU-MUG-01", quantity=1),),
            refund=eur(1428),
        )
    )


async def test_each_return_of_an_order_is_mailed_once_to_the_remembered_recipient(
    db: Database, smtp: Any
) -> None:
    mailbox, port = smtp
    table = handlers(db, port)
    order_id = new_order_id()
    await deliver(db, table, contact(order_id, email="grace@example.com"))

    assert await deliver(db, table, received(order_id, "ret_1"))
    assert await deliver(db, table, received(order_id, "ret_1"))  # republished: no mail
    assert await deliver(db, table, received(order_id, "ret_2"))  # another return: mailed

    returns = [m for m in mailbox.messages if "return" in m["Subject"]]
    assert [m["To"] for m in returns] == ["grace@example.com", "grace@example.com"]
    assert "14.28 EUR" in returns[0].get_payload()
    assert "1 x SKU-MUG-01" in returns[0].get_payload()


async def test_a_return_that_overtakes_its_order_waits_for_the_recipient(
    db: Database, smtp: Any
) -> None:
    _, port = smtp
    with pytest.raises(RecipientUnknown):
        await deliver(db, handlers(db, port), received(new_order_id(), "ret_1"))

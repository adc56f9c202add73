"""Refunds of returns against the real database: one per return, never past the capture,
by event or by reconciliation's repair."""

from typing import Any

import httpx
from shop_contracts import CloudEvent, Money, ReturnLine, ReturnReceived
from shop_servicekit import Database
from sqlalchemy import text

from .payment_events import authorized, deliver, new_order_id, shipped

CAPTURED = 4_999


def received(order_id: str, return_id: str, amount: int) -> CloudEvent[ReturnReceived]:
    return CloudEvent.create(
        ReturnReceived(
            order_id=order_id,
            return_id=return_id,
            customer_id="cus_1",
            lines=(ReturnLine(sku="SKU-MUG-01", quantity=1),),
            refund=Money(amount=amount, currency="EUR"),
        )
    )


async def _refunds(db: Database, order_id: str) -> dict[str, Any]:
    async with db.sessions() as session:
        rows = (
            await session.execute(
                text("SELECT return_id, amount FROM refunds WHERE order_id = :o ORDER BY id"),
                {"o": order_id},
            )
        ).all()
        events = await session.scalar(
            text("SELECT count(*) FROM outbox WHERE key = :o AND type LIKE '%PaymentRefunded%'"),
            {"o": order_id},
        )
    return {"refunds": [tuple(r) for r in rows], "events": events}


async def _captured_order(db: Database) -> str:
    order_id = new_order_id()
    await authorized(db, order_id)
    assert await deliver(db, shipped(order_id))
    return order_id


async def test_a_received_return_is_refunded_once_even_when_republished(db: Database) -> None:
    order_id = await _captured_order(db)
    assert await deliver(db, received(order_id, "ret_1", 1_000))
    assert await deliver(db, received(order_id, "ret_1", 1_000))  # new event id

    assert await _refunds(db, order_id) == {"refunds": [("ret_1", 1_000)], "events": 1}


async def test_refunds_never_add_up_past_what_was_captured(db: Database) -> None:
    order_id = await _captured_order(db)
    assert await deliver(db, received(order_id, "ret_1", 4_000))
    assert await deliver(db, received(order_id, "ret_2", 4_000))  # only 999 left
    assert await deliver(db, received(order_id, "ret_3", 10))  # nothing left: refused

    found = await _refunds(db, order_id)
    assert found["refunds"] == [("ret_1", 4_000), ("ret_2", CAPTURED - 4_000)]
    assert found["events"] == 2


async def test_an_authorization_never_captured_refunds_nothing(db: Database) -> None:
    order_id = new_order_id()
    await authorized(db, order_id)
    assert await deliver(db, received(order_id, "ret_1", 1_000))
    assert await _refunds(db, order_id) == {"refunds": [], "events": 0}


async def test_reconciliations_refund_repair_is_idempotent_and_problems_are_typed(
    client: httpx.AsyncClient, db: Database
) -> None:
    order_id = await _captured_order(db)
    body = {"order_id": order_id, "return_id": "ret_9", "amount": 500}
    first = await client.post("/internal/v1/refunds", json=body)
    again = await client.post("/internal/v1/refunds", json=body)
    assert first.status_code == 200, first.text
    assert again.json()["refund_id"] == first.json()["refund_id"]
    # One refund; the repeated repair announces it again, for a consumer that lost the first
    # PaymentRefunded (return-refund-unheard); consumers key on the refund id.
    assert await _refunds(db, order_id) == {"refunds": [("ret_9", 500)], "events": 2}

    unknown = await client.post(
        "/internal/v1/refunds", json={**body, "order_id": new_order_id(), "return_id": "ret_x"}
    )
    assert (unknown.status_code, unknown.json()["type"].split("/")[-1]) == (
        404,
        "authorization-not-found",
    )
    uncaptured = new_order_id()
    await authorized(db, uncaptured)
    refused = await client.post(
        "/internal/v1/refunds", json={**body, "order_id": uncaptured, "return_id": "ret_y"}
    )
    assert (refused.status_code, refused.json()["type"].split("/")[-1]) == (409, "not-refundable")

    page = await client.get("/internal/v1/refunds", params={"since": "2000-01-01T00:00:00Z"})
    assert any(item["return_id"] == "ret_9" for item in page.json()["items"])

"""Payment's consumer handlers against the real database: each delivery as the runner makes
it (inbox claim and handler in one transaction). Proves the state change and its event, and
that a redelivery or a republish of the same fact (a new event id) changes nothing."""

import logging

import pytest
from shop_servicekit import Database

from .payment_events import authorized, cancelled, deliver, new_order_id, shipped, state

AMOUNT = {"amount": 4_999, "currency": "EUR"}


async def test_a_shipment_captures_the_orders_authorization_and_announces_it(
    db: Database,
) -> None:
    order_id = new_order_id()
    authorization = await authorized(db, order_id)

    assert await deliver(db, shipped(order_id))

    assert await state(db, order_id) == {
        "statuses": ["CAPTURED"],
        "captures": [(authorization.id, 4_999)],
        "events": [
            (
                "PaymentCaptured",
                {"order_id": order_id, "authorization_id": authorization.id, "amount": AMOUNT},
            )
        ],
    }


async def test_the_same_shipment_event_twice_captures_once(db: Database) -> None:
    order_id = new_order_id()
    await authorized(db, order_id)
    event = shipped(order_id)
    assert await deliver(db, event)
    after_first = await state(db, order_id)

    assert not await deliver(db, event)
    assert await state(db, order_id) == after_first


async def test_a_shipment_republished_under_a_new_event_id_captures_nothing_more(
    db: Database,
) -> None:
    order_id = new_order_id()
    await authorized(db, order_id)
    assert await deliver(db, shipped(order_id))
    after_first = await state(db, order_id)

    assert await deliver(db, shipped(order_id))  # handled: a new id gets past the inbox
    assert await state(db, order_id) == after_first


async def test_a_shipment_of_a_voided_order_reports_the_capture_failure_once(
    db: Database,
) -> None:
    order_id = new_order_id()
    authorization = await authorized(db, order_id)
    assert await deliver(db, cancelled(order_id))

    assert await deliver(db, shipped(order_id))
    assert await deliver(db, shipped(order_id))

    after = await state(db, order_id)
    assert (after["statuses"], after["captures"]) == (["VOIDED"], [])
    failures = [data for kind, data in after["events"] if kind == "PaymentCaptureFailed"]
    assert failures == [
        {
            "order_id": order_id,
            "authorization_id": authorization.id,
            "amount": AMOUNT,
            "reason": "authorization-voided",
        }
    ]


async def test_a_shipment_of_a_declined_order_reports_the_declined_attempt(db: Database) -> None:
    order_id = new_order_id()
    declined = await authorized(db, order_id, token="tok_declined")

    assert await deliver(db, shipped(order_id))

    [(kind, data)] = (await state(db, order_id))["events"]
    assert kind == "PaymentCaptureFailed"
    assert (data["authorization_id"], data["reason"]) == (declined.id, "authorization-declined")


async def test_a_shipment_with_no_authorization_is_logged_for_reconciliation_and_not_retried(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    order_id = new_order_id()
    caplog.set_level(logging.WARNING, logger="payment.application.capture")

    assert await deliver(db, shipped(order_id))  # handled (no exception): nothing to retry

    assert await state(db, order_id) == {"statuses": [], "captures": [], "events": []}
    assert any(order_id in r.getMessage() for r in caplog.records)


async def test_a_cancelled_order_is_voided_once_with_reason_order_cancelled(db: Database) -> None:
    order_id = new_order_id()
    authorization = await authorized(db, order_id)
    event = cancelled(order_id)

    assert await deliver(db, event)
    assert not await deliver(db, event)  # the same event again: the inbox skips it
    assert await deliver(db, cancelled(order_id))  # republished: voiding VOIDED is a no-op

    assert await state(db, order_id) == {
        "statuses": ["VOIDED"],
        "captures": [],
        "events": [
            (
                "PaymentVoided",
                {
                    "order_id": order_id,
                    "authorization_id": authorization.id,
                    "amount": AMOUNT,
                    "reason": "order-cancelled",
                },
            )
        ],
    }


async def test_a_cancellation_after_capture_leaves_the_payment_captured_and_says_so(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    order_id = new_order_id()
    await authorized(db, order_id)
    assert await deliver(db, shipped(order_id))
    before = await state(db, order_id)
    caplog.set_level(logging.WARNING, logger="payment.application.cancellation")

    assert await deliver(db, cancelled(order_id))

    # No void and no PaymentCaptureFailed: the money is taken; a refund is reconciliation's.
    assert await state(db, order_id) == before
    assert any("refund" in r.getMessage() for r in caplog.records)


async def test_a_cancelled_order_with_nothing_authorized_changes_nothing(db: Database) -> None:
    order_id = new_order_id()
    assert await deliver(db, cancelled(order_id))
    assert await state(db, order_id) == {"statuses": [], "captures": [], "events": []}

"""POST /internal/v1/orders/{id}/facts: statuses corrected from the facts reconciliation
found at their owners (docs/reconciliation.md)."""

from datetime import datetime

import httpx
from checkout.domain.orders import OrderStatus
from shop_contracts import (
    CustomerNotified,
)
from shop_servicekit import Database

from .internal_api import (
    PROBLEMS,
    corrections,
    fact_times,
    iso,
    item,
    outbox,
    post_facts,
)
from .order_events import deliver, event, shipment, stored_order, view


async def test_posted_facts_are_recorded_and_every_status_derived_from_them(
    api: httpx.AsyncClient, database: Database
) -> None:
    order = await stored_order(database)

    response = await post_facts(
        api, order.id, shipped=True, captured=True, notified=True, backordered=False
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["order_id"] == order.id
    assert (body["status"], body["fulfillment_status"]) == ("COMPLETED", "SHIPPED")
    assert (body["payment_status"], body["notification_status"]) == ("CAPTURED", "NOTIFIED")
    [entry] = corrections(body)
    assert body["timeline"][-1] == entry
    assert entry["source"] == "reconciliation"
    assert entry["detail"] == {
        "facts": ["shipped", "captured", "notified"],
        "statuses": {
            "status": {"from": "CONFIRMED", "to": "COMPLETED"},
            "fulfillment_status": {"from": "PENDING", "to": "SHIPPED"},
            "payment_status": {"from": "AUTHORIZED", "to": "CAPTURED"},
            "notification_status": {"from": "PENDING", "to": "NOTIFIED"},
        },
    }
    times = await fact_times(database, order.id)
    assert times["shipped_at"] is not None
    assert times["shipped_at"] == times["captured_at"]
    assert times["backordered_at"] is None
    # Nothing is published: checkout announces no status changes.
    assert await outbox(database) == []


async def test_posting_facts_the_order_knows_is_a_2xx_no_op(
    api: httpx.AsyncClient, database: Database
) -> None:
    order = await stored_order(database)
    first = await post_facts(api, order.id, backordered=True)
    before = await item(api, order.id)

    second = await post_facts(api, order.id, backordered=True)

    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json() == first.json()
    assert second.json()["status"] == "BACKORDERED"
    assert len(corrections(second.json())) == 1
    assert await item(api, order.id) == before


async def test_a_fact_learned_from_its_event_keeps_the_events_time(
    api: httpx.AsyncClient, database: Database
) -> None:
    order = await stored_order(database)
    shipped = event(shipment(order.id), after=5)
    await deliver(database, shipped)

    response = await post_facts(api, order.id, shipped=True)

    assert response.json()["status"] == "SHIPPED"
    assert corrections(response.json()) == []
    assert (await fact_times(database, order.id))["shipped_at"] == shipped.time


async def test_false_never_takes_a_fact_back(api: httpx.AsyncClient, database: Database) -> None:
    order = await stored_order(database)
    await deliver(database, event(shipment(order.id)))

    response = await post_facts(
        api, order.id, shipped=False, dispatched=False, captured=True, notified=False
    )

    body = response.json()
    assert (body["status"], body["fulfillment_status"]) == ("COMPLETED", "SHIPPED")
    [entry] = corrections(body)
    assert entry["detail"] == {
        "facts": ["captured"],
        "statuses": {
            "status": {"from": "SHIPPED", "to": "COMPLETED"},
            "payment_status": {"from": "AUTHORIZED", "to": "CAPTURED"},
        },
    }


async def test_statuses_follow_the_facts_rather_than_the_posted_order_of_events(
    api: httpx.AsyncClient, database: Database
) -> None:
    shipped = await stored_order(database)
    await deliver(database, event(shipment(shipped.id)))
    cancelled = await stored_order(database)
    assert (await api.post(f"/v1/orders/{cancelled.id}/cancel")).status_code == 200

    late_backorder = (await post_facts(api, shipped.id, backordered=True)).json()
    after_cancel = (await post_facts(api, cancelled.id, backordered=True, voided=True)).json()

    # A shipped order stays shipped; a cancelled one stays cancelled, its facts recorded.
    assert (late_backorder["status"], late_backorder["fulfillment_status"]) == (
        "SHIPPED",
        "SHIPPED",
    )
    assert corrections(late_backorder)[0]["detail"] == {"facts": ["backordered"], "statuses": {}}
    assert after_cancel["status"] == "CANCELLED"
    assert (after_cancel["fulfillment_status"], after_cancel["payment_status"]) == (
        "BACKORDERED",
        "VOIDED",
    )


async def test_the_event_behind_a_corrected_fact_still_lands_on_the_timeline_once(
    api: httpx.AsyncClient, database: Database
) -> None:
    order = await stored_order(database)
    corrected = (await post_facts(api, order.id, notified=True)).json()
    notified = CustomerNotified(
        order_id=order.id, notification_id="ntf_1", kind="ORDER_CONFIRMED", about_event_id="evt_1"
    )

    assert await deliver(database, event(notified))

    after = await view(database, order.id)
    assert after.notification_status == "NOTIFIED"
    # Ordered by when each happened: the notification (the event's time) before the correction.
    assert [e.type for e in after.timeline][-2:] == ["CustomerNotified", "StatusCorrected"]
    assert (await item(api, order.id))["updated_at"] == iso(
        datetime.fromisoformat(corrected["timeline"][-1]["occurred_at"])
    )


async def test_facts_for_an_unknown_order_are_404_and_a_bad_body_is_422(
    api: httpx.AsyncClient, database: Database
) -> None:
    missing = await post_facts(api, "ord_nobody", shipped=True)
    assert missing.status_code == 404
    assert missing.json()["type"] == PROBLEMS + "order-not-found"

    order = await stored_order(database)
    for body in ({"shipped": True, "cancelled": True}, {"shipped": "yes"}, {"captured": 1}):
        invalid = await post_facts(api, order.id, **body)
        assert invalid.status_code == 422, body
        assert invalid.json()["type"] == PROBLEMS + "validation-error"
    assert (await view(database, order.id)).status is OrderStatus.CONFIRMED

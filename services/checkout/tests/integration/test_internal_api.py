"""Reconciliation's routes on Checkout (docs/reconciliation.md): the read of orders, the
republish of a lost OrderConfirmed and the correction of statuses from downstream facts."""

from collections.abc import AsyncIterator, Sequence
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from checkout.bootstrap import build_app
from checkout.domain.orders import OrderStatus
from checkout.settings import CheckoutSettings
from shop_contracts import (
    BackorderDeclared,
    CustomerNotified,
    Event,
    OrderConfirmed,
    from_kafka,
)
from shop_messaging import OutboxRelay, Record
from shop_servicekit import Database
from sqlalchemy import text

from .order_events import T0, capture, deliver, event, shipment, stored_order, view

PROBLEMS = "https://shop.example/problems/"
ADMIN = {"Authorization": "Bearer dev-admin-token"}


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


@pytest.fixture
async def api(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    # The internal routes call no other service: their URLs point nowhere.
    nowhere = "http://127.0.0.1:9"
    settings = CheckoutSettings(
        database_url=database_url,
        pricing_url=nowhere,
        inventory_url=nowhere,
        payment_url=nowhere,
    )
    app = build_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://checkout") as client:
            yield client


class Captured:
    """A publisher that keeps what the relay sends."""

    def __init__(self) -> None:
        self.records: list[Record] = []

    async def publish(self, records: Sequence[Record]) -> None:
        self.records.extend(records)


async def relay(database: Database) -> list[tuple[str, Any]]:
    """One pass of the outbox relay: (event id, data) of every event it sent."""
    publisher = Captured()
    await OutboxRelay(database.engine, publisher, notify_channel=None).publish_once()
    events = [from_kafka(r.key, r.value, r.headers) for r in publisher.records]
    return [(e.id, e.data) for e in events]


async def outbox(database: Database) -> list[tuple[str, str, str, bool]]:
    """(event id, type, key, published) of every outbox row, in order."""
    async with database.sessions() as session:
        rows = await session.execute(
            text("SELECT event_id, type, key, published_at FROM outbox ORDER BY id")
        )
    return [(r.event_id, r.type.split(".")[2], r.key, r.published_at is not None) for r in rows]


async def read_all(api: httpx.AsyncClient, **params: str) -> tuple[list[dict[str, Any]], int]:
    """Every item of the window, following the cursor; and how many pages that took."""
    items: list[dict[str, Any]] = []
    pages = 0
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = await api.get("/internal/v1/orders", params=query, headers=ADMIN)
        assert response.status_code == 200, response.text
        page = response.json()
        pages += 1
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items, pages


async def item(api: httpx.AsyncClient, order_id: str) -> dict[str, Any]:
    items, _ = await read_all(api, since=at(-60).isoformat())
    [found] = [i for i in items if i["order_id"] == order_id]
    return found


async def republish(api: httpx.AsyncClient, order_id: str) -> httpx.Response:
    return await api.post(f"/internal/v1/orders/{order_id}/republish", headers=ADMIN)


async def post_facts(api: httpx.AsyncClient, order_id: str, **facts: Any) -> httpx.Response:
    return await api.post(f"/internal/v1/orders/{order_id}/facts", json=facts, headers=ADMIN)


async def fact_times(database: Database, order_id: str) -> dict[str, datetime | None]:
    async with database.sessions() as session:
        row = (
            await session.execute(
                text("SELECT backordered_at, shipped_at, captured_at FROM orders WHERE id = :id"),
                {"id": order_id},
            )
        ).one()
    return dict(row._mapping)


def corrections(order: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in order["timeline"] if e["type"] == "StatusCorrected"]


# --- GET /internal/v1/orders -----------------------------------------------------------------


async def test_the_read_answers_each_order_created_in_the_window_with_its_fields(
    api: httpx.AsyncClient, database: Database
) -> None:
    await stored_order(database, created_at=at(-1), order_id="ord_early")
    first = await stored_order(database, created_at=at(0), order_id="ord_1")
    await stored_order(database, created_at=at(1), order_id="ord_2", status=OrderStatus.REJECTED)
    await stored_order(database, created_at=at(2), order_id="ord_3")
    await stored_order(database, created_at=at(3), order_id="ord_late")
    await deliver(database, event(shipment("ord_3")))

    items, pages = await read_all(api, since=T0.isoformat(), until=at(3).isoformat())

    assert pages == 1
    assert [i["order_id"] for i in items] == ["ord_1", "ord_2", "ord_3"]
    assert items[0] == {
        "order_id": "ord_1",
        "status": "CONFIRMED",
        "fulfillment_status": "PENDING",
        "payment_status": "AUTHORIZED",
        "notification_status": "PENDING",
        "reservation_id": first.reservation_id,
        "authorization_id": first.authorization_id,
        "customer_id": "cus_1",
        "customer_email": "ada@example.com",
        "total": {"amount": 2856, "currency": "EUR"},
        "created_at": iso(at(0)),
        "updated_at": iso(at(0)),
    }
    assert items[1]["status"] == "REJECTED"
    assert (items[2]["status"], items[2]["fulfillment_status"]) == ("SHIPPED", "SHIPPED")
    # `until` is optional: everything created since `since`.
    rest, _ = await read_all(api, since=at(2).isoformat())
    assert [i["order_id"] for i in rest] == ["ord_3", "ord_late"]


async def test_pages_follow_the_cursor_in_creation_then_id_order_while_orders_are_added(
    api: httpx.AsyncClient, database: Database
) -> None:
    for order_id, minutes in [("ord_c", 0), ("ord_a", 1), ("ord_b", 1), ("ord_d", 2)]:
        await stored_order(database, created_at=at(minutes), order_id=order_id)
    window = {"since": T0.isoformat(), "until": at(10).isoformat(), "limit": "2"}

    first = (await api.get("/internal/v1/orders", params=window, headers=ADMIN)).json()
    assert [i["order_id"] for i in first["items"]] == ["ord_c", "ord_a"]
    assert first["next_cursor"] is not None
    # Added while the reader pages: one before the cursor (not seen), one after it (seen).
    await stored_order(database, created_at=at(0.5), order_id="ord_before")
    await stored_order(database, created_at=at(3), order_id="ord_after")
    rest, pages = await read_all(api, **window, cursor=first["next_cursor"])

    assert [i["order_id"] for i in rest] == ["ord_b", "ord_d", "ord_after"]
    assert pages == 2


async def test_a_bad_cursor_or_window_is_a_422_problem(api: httpx.AsyncClient) -> None:
    bad_cursor = await api.get(
        "/internal/v1/orders", params={"since": T0.isoformat(), "cursor": "nope"}, headers=ADMIN
    )
    backwards = await api.get(
        "/internal/v1/orders",
        params={"since": T0.isoformat(), "until": at(-1).isoformat()},
        headers=ADMIN,
    )
    naive = await api.get(
        "/internal/v1/orders", params={"since": "2025-03-01T12:00:00"}, headers=ADMIN
    )

    assert bad_cursor.json()["type"] == PROBLEMS + "invalid-cursor"
    assert backwards.json()["type"] == PROBLEMS + "invalid-window"
    assert (bad_cursor.status_code, backwards.status_code, naive.status_code) == (422, 422, 422)


async def test_updated_at_moves_whenever_a_fact_or_a_status_changes_and_only_then(
    api: httpx.AsyncClient, database: Database
) -> None:
    order = await stored_order(database, announced=True)
    created = await item(api, order.id)
    assert created["updated_at"] == created["created_at"]

    await deliver(database, event(BackorderDeclared(order_id=order.id, skus_short=("SKU-X",))))
    backordered = await item(api, order.id)
    assert backordered["updated_at"] > created["updated_at"]

    # The same business fact again (a republish with a new event id): nothing changes.
    await deliver(database, event(BackorderDeclared(order_id=order.id, skus_short=("SKU-X",))))
    assert (await item(api, order.id))["updated_at"] == backordered["updated_at"]
    # A repair that changes no fact or status leaves it too.
    assert (await republish(api, order.id)).status_code == 202
    assert (await post_facts(api, order.id, backordered=True)).status_code == 200
    assert (await item(api, order.id))["updated_at"] == backordered["updated_at"]

    assert (await post_facts(api, order.id, notified=True)).status_code == 200
    notified = await item(api, order.id)
    assert notified["updated_at"] > backordered["updated_at"]

    assert (await api.post(f"/v1/orders/{order.id}/cancel")).status_code == 200
    cancelled = await item(api, order.id)
    assert cancelled["status"] == "CANCELLED"
    assert cancelled["updated_at"] > notified["updated_at"]


async def test_every_internal_route_needs_the_admin_token(
    api: httpx.AsyncClient, database: Database
) -> None:
    order = await stored_order(database, announced=True)
    assert len(await relay(database)) == 1
    routes = [
        ("GET", "/internal/v1/orders", {"params": {"since": T0.isoformat()}}),
        ("POST", f"/internal/v1/orders/{order.id}/republish", {}),
        ("POST", f"/internal/v1/orders/{order.id}/facts", {"json": {"shipped": True}}),
    ]
    for method, path, options in routes:
        for headers in ({}, {"Authorization": "Bearer wrong-token"}):
            response = await api.request(method, path, headers=headers, **options)
            assert response.status_code == 401, (method, path)
            assert response.json()["type"] == PROBLEMS + "unauthorized"
            assert response.headers["content-type"] == "application/problem+json"

    assert (await view(database, order.id)).status is OrderStatus.CONFIRMED
    assert await relay(database) == []  # not requeued


# --- POST /internal/v1/orders/{order_id}/republish -------------------------------------------


NO_EVENTS: list[Event] = []


@pytest.mark.parametrize(
    ("later", "status"),
    [
        (NO_EVENTS, "CONFIRMED"),
        ([BackorderDeclared(order_id="ord_r", skus_short=("SKU-X",))], "BACKORDERED"),
        ([shipment("ord_r")], "SHIPPED"),
        ([shipment("ord_r"), capture("ord_r", "auth_r")], "COMPLETED"),
    ],
)
async def test_republishing_requeues_the_same_order_confirmed_event_for_the_relay(
    api: httpx.AsyncClient, database: Database, later: list[Event], status: str
) -> None:
    order = await stored_order(database, order_id="ord_r", announced=True)
    [(event_id, sent)] = await relay(database)
    assert isinstance(sent, OrderConfirmed)
    for number, data in enumerate(later, start=1):
        await deliver(database, event(data, after=number))

    response = await republish(api, order.id)

    assert response.status_code == 202, response.text
    assert response.json() == {"order_id": order.id, "event_id": event_id, "requeued": True}
    assert (await view(database, order.id)).status.value == status
    # The same row, unpublished again: no new event.
    assert await outbox(database) == [(event_id, "OrderConfirmed", order.id, False)]
    [(again_id, again)] = await relay(database)
    assert (again_id, again) == (event_id, sent)
    assert await outbox(database) == [(event_id, "OrderConfirmed", order.id, True)]


async def test_republishing_again_before_the_relay_resends_is_a_harmless_2xx(
    api: httpx.AsyncClient, database: Database
) -> None:
    order = await stored_order(database, announced=True)
    [(event_id, _)] = await relay(database)

    first = await republish(api, order.id)
    second = await republish(api, order.id)

    assert (first.status_code, second.status_code) == (202, 202)
    assert (
        second.json()
        == first.json()
        == {
            "order_id": order.id,
            "event_id": event_id,
            "requeued": True,
        }
    )
    assert [sent_id for sent_id, _ in await relay(database)] == [event_id]
    assert await relay(database) == []


async def test_republishing_only_requeues_that_orders_order_confirmed(
    api: httpx.AsyncClient, database: Database
) -> None:
    order = await stored_order(database, announced=True)
    other = await stored_order(database, announced=True)
    assert (await api.post(f"/v1/orders/{other.id}/cancel")).status_code == 200
    cancelled_too = await stored_order(database, announced=True)
    assert (await api.post(f"/v1/orders/{cancelled_too.id}/cancel")).status_code == 200
    sent = await relay(database)
    assert len(sent) == 5

    await republish(api, order.id)

    [(_, again)] = await relay(database)
    assert isinstance(again, OrderConfirmed)
    assert again.order_id == order.id


@pytest.mark.parametrize("status", ["REJECTED", "CANCELLED"])
async def test_republishing_an_order_that_is_not_confirmed_is_a_409_problem(
    api: httpx.AsyncClient, database: Database, status: str
) -> None:
    if status == "REJECTED":
        order = await stored_order(database, status=OrderStatus.REJECTED)
    else:
        order = await stored_order(database, announced=True)
        assert (await api.post(f"/v1/orders/{order.id}/cancel")).status_code == 200
    sent = await relay(database)

    response = await republish(api, order.id)

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == PROBLEMS + "order-not-confirmed"
    assert response.json()["order_status"] == status
    assert all(published for *_, published in await outbox(database))
    assert len(sent) == len(await outbox(database))
    assert await relay(database) == []


async def test_republishing_an_unknown_order_is_a_404_problem(api: httpx.AsyncClient) -> None:
    response = await republish(api, "ord_nobody")

    assert response.status_code == 404
    assert response.json()["type"] == PROBLEMS + "order-not-found"


async def test_republishing_a_confirmed_order_whose_event_row_is_gone_is_a_409_problem(
    api: httpx.AsyncClient, database: Database
) -> None:
    # Checkout writes the row with the order; without it there is nothing to resend as is.
    order = await stored_order(database)

    response = await republish(api, order.id)

    assert response.status_code == 409
    assert response.json()["type"] == PROBLEMS + "order-confirmed-event-missing"
    assert await outbox(database) == []


# --- POST /internal/v1/orders/{order_id}/facts -----------------------------------------------


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

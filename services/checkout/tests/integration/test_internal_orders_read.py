"""GET /internal/v1/orders: reconciliation's read of every order, page by page; and the
admin token every internal route needs."""

import httpx
from checkout.domain.orders import OrderStatus
from shop_contracts import (
    BackorderDeclared,
)
from shop_servicekit import Database

from .internal_api import (
    ADMIN,
    PROBLEMS,
    at,
    iso,
    item,
    post_facts,
    read_all,
    relay,
    republish,
)
from .order_events import T0, deliver, event, shipment, stored_order, view


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
        "superseded_by": None,
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


async def test_every_internal_route_needs_a_credential(
    api: httpx.AsyncClient, database: Database
) -> None:
    order = await stored_order(database, announced=True)
    assert len(await relay(database)) == 2  # OrderConfirmed, OrderContactShared
    routes = [
        ("GET", "/internal/v1/orders", {"params": {"since": T0.isoformat()}}),
        ("POST", f"/internal/v1/orders/{order.id}/republish", {}),
        ("POST", f"/internal/v1/orders/{order.id}/facts", {"json": {"shipped": True}}),
    ]
    for method, path, options in routes:
        for headers in ({}, {"Authorization": "Bearer wrong-token"}):
            response = await api.request(method, path, headers=headers, auth=None, **options)
            assert response.status_code == 401, (method, path)
            assert response.json()["type"] == PROBLEMS + "unauthorized"
            assert response.headers["content-type"] == "application/problem+json"

    assert (await view(database, order.id)).status is OrderStatus.CONFIRMED
    assert await relay(database) == []  # not requeued

"""POST /v1/orders/{id}/cancel: CANCELLED and OrderCancelled in one transaction, idempotent,
refused once the order has shipped."""

from collections.abc import AsyncIterator

import httpx
import pytest
from checkout.bootstrap import build_app
from checkout.settings import CheckoutSettings
from shop_contracts import BackorderDeclared, OrderCancelled
from shop_servicekit import Database
from shop_testing.credentials import RouteAuth
from sqlalchemy import text

from .order_events import deliver, event, shipment, stored_order

PROBLEMS = "https://shop.example/problems/"


@pytest.fixture
async def api(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    # Cancelling calls no other service: their URLs point nowhere.
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
        auth = RouteAuth(app, customer="cus_1")  # the owner of the stored orders
        async with httpx.AsyncClient(
            transport=transport, base_url="http://checkout", auth=auth
        ) as client:
            yield client


async def outbox_events(database: Database) -> list[OrderCancelled]:
    async with database.sessions() as session:
        rows = await session.execute(text("SELECT type, payload FROM outbox ORDER BY id"))
    return [OrderCancelled.model_validate(payload) for _, payload in rows]


async def test_cancelling_a_confirmed_order_stores_it_cancelled_with_its_event(
    api: httpx.AsyncClient, database: Database
) -> None:
    order = await stored_order(database)

    response = await api.post(f"/v1/orders/{order.id}/cancel", json={"reason": "changed my mind"})

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "CANCELLED"
    assert body["timeline"][-1]["type"] == "OrderCancelled"
    assert body["timeline"][-1]["detail"] == {"reason": "changed my mind"}
    [cancelled] = await outbox_events(database)
    assert cancelled == OrderCancelled(
        order_id=order.id,
        reason="changed my mind",
        reservation_id=order.reservation_id,
        authorization_id=order.authorization_id,
    )


async def test_cancelling_twice_returns_the_cancelled_order_and_publishes_once(
    api: httpx.AsyncClient, database: Database
) -> None:
    order = await stored_order(database)

    first = await api.post(f"/v1/orders/{order.id}/cancel")
    second = await api.post(f"/v1/orders/{order.id}/cancel", json={"reason": "again"})

    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json() == first.json()
    assert len(await outbox_events(database)) == 1
    assert first.json()["timeline"][-1]["detail"]["reason"] == "cancelled by the customer"


async def test_a_backordered_order_can_be_cancelled(
    api: httpx.AsyncClient, database: Database
) -> None:
    order = await stored_order(database)
    await deliver(database, event(BackorderDeclared(order_id=order.id, skus_short=("SKU-X",))))

    response = await api.post(f"/v1/orders/{order.id}/cancel")

    assert response.json()["status"] == "CANCELLED"
    assert response.json()["fulfillment_status"] == "BACKORDERED"


async def test_a_shipped_order_cannot_be_cancelled(
    api: httpx.AsyncClient, database: Database
) -> None:
    order = await stored_order(database)
    await deliver(database, event(shipment(order.id)))

    response = await api.post(f"/v1/orders/{order.id}/cancel")

    assert response.status_code == 409
    assert response.json()["type"] == PROBLEMS + "order-not-cancellable"
    assert response.json()["order_status"] == "SHIPPED"
    assert await outbox_events(database) == []


async def test_cancelling_an_unknown_order_is_404_and_a_bad_body_is_422(
    api: httpx.AsyncClient, database: Database
) -> None:
    missing = await api.post("/v1/orders/ord_nobody/cancel")
    assert missing.status_code == 404
    assert missing.json()["type"] == PROBLEMS + "order-not-found"

    order = await stored_order(database)
    invalid = await api.post(f"/v1/orders/{order.id}/cancel", json={"reason": "", "x": 1})
    assert invalid.status_code == 422

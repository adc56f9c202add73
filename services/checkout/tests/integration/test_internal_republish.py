"""POST /internal/v1/orders/{id}/republish: a lost OrderConfirmed sent again, same event, with
the OrderContactShared written beside it."""

import httpx
import pytest
from checkout.domain.orders import OrderStatus
from shop_contracts import (
    Address,
    BackorderDeclared,
    Event,
    Money,
    OrderConfirmed,
    OrderConfirmedV2,
    OrderContactShared,
    OrderLine,
)
from shop_messaging import Outbox
from shop_servicekit import Database

from .internal_api import (
    PROBLEMS,
    outbox,
    relay,
    republish,
)
from .order_events import T0, capture, deliver, event, shipment, stored_order, view

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
    [(contact_id, contact), (event_id, sent)] = await relay(database)
    assert isinstance(sent, OrderConfirmedV2)
    assert isinstance(contact, OrderContactShared)
    for number, data in enumerate(later, start=1):
        await deliver(database, event(data, after=number))

    response = await republish(api, order.id)

    assert response.status_code == 202, response.text
    assert response.json() == {"order_id": order.id, "event_id": event_id, "requeued": True}
    assert (await view(database, order.id)).status.value == status
    # The same rows, unpublished again: no new event.
    assert await outbox(database) == [
        (contact_id, "OrderContactShared", order.id, False),
        (event_id, "OrderConfirmed", order.id, False),
    ]
    assert await relay(database) == [(contact_id, contact), (event_id, sent)]
    assert [published for *_, published in await outbox(database)] == [True, True]


async def test_republishing_again_before_the_relay_resends_is_a_harmless_2xx(
    api: httpx.AsyncClient, database: Database
) -> None:
    order = await stored_order(database, announced=True)
    [(contact_id, _), (event_id, _)] = await relay(database)

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
    assert [sent_id for sent_id, _ in await relay(database)] == [contact_id, event_id]
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
    assert len(sent) == 8  # three confirmations of two events, two cancellations

    await republish(api, order.id)

    again = [data for _, data in await relay(database)]
    assert [type(data) for data in again] == [OrderContactShared, OrderConfirmedV2]
    assert {data.order_id for data in again} == {order.id}


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


async def test_an_order_confirmed_before_v2_is_republished_from_its_v1_row(
    api: httpx.AsyncClient, database: Database
) -> None:
    # Written before ADR 0010: one v1 row with the email and address, no contact row.
    order = await stored_order(database)
    eur = Money(amount=2856, currency="EUR")
    v1 = OrderConfirmed(
        order_id=order.id,
        customer_id="cus_1",
        customer_email="ada@example.com",
        lines=(OrderLine(sku="SKU-MUG-01", quantity=2, unit_price=eur),),
        total=eur,
        reservation_id="res_1",
        authorization_id="auth_1",
        shipping_address=Address(
            name="Ada", line1="1 Main St", city="Berlin", postal_code="10115", country="DE"
        ),
        confirmed_at=T0,
    )
    async with database.sessions.begin() as session:
        await Outbox().add(session, v1)
    [(event_id, _)] = await relay(database)

    response = await republish(api, order.id)

    assert response.status_code == 202, response.text
    assert response.json()["event_id"] == event_id
    # Sent as it was; its consumers read it as v2, without the email and the address.
    [(again_id, again)] = await relay(database)
    assert again_id == event_id
    assert isinstance(again, OrderConfirmedV2)

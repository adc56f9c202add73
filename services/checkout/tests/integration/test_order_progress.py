"""Events from fulfillment, inventory, payment and communications become the order's
status and timeline: once per business fact, in any arrival order."""

import pytest
from checkout.application.cancellation import CancelOrder, cancel_order
from checkout.domain.orders import OrderStatus
from checkout.domain.progress import UnknownOrder
from shop_contracts import (
    BackorderDeclared,
    CustomerNotified,
    PaymentCaptureFailed,
    PaymentVoided,
    ReservationCommitted,
    ShipmentDispatchedV2,
)
from shop_messaging import Outbox
from shop_servicekit import Database, utc_now
from sqlalchemy import text

from .order_events import (
    T0,
    capture,
    deliver,
    detail,
    eur,
    event,
    shipment,
    stored_order,
    timeline,
    view,
)


async def test_a_shipment_then_a_capture_complete_the_order_with_both_on_the_timeline(
    database: Database,
) -> None:
    order = await stored_order(database)
    assert order.authorization_id is not None

    assert await deliver(database, event(shipment(order.id), after=1))
    shipped = await view(database, order.id)
    assert (shipped.status, shipped.fulfillment_status) == (OrderStatus.SHIPPED, "SHIPPED")

    captured = event(capture(order.id, order.authorization_id), after=2)
    assert await deliver(database, captured)
    done = await view(database, order.id)
    assert (done.status, done.payment_status) == (OrderStatus.COMPLETED, "CAPTURED")
    assert timeline(done)[-2:] == [
        ("ShipmentCreated", "fulfillment"),
        ("PaymentCaptured", "payment"),
    ]
    # The entry carries the event's own time and id, so the timeline can be traced back.
    [entry] = [e for e in done.timeline if e.type == "PaymentCaptured"]
    assert entry.occurred_at == captured.time
    assert entry.detail["event_id"] == captured.id


async def test_a_capture_that_arrives_before_the_shipment_still_completes_the_order(
    database: Database,
) -> None:
    order = await stored_order(database)
    assert order.authorization_id is not None

    await deliver(database, event(capture(order.id, order.authorization_id), after=2))
    early = await view(database, order.id)
    assert (early.status, early.payment_status) == (OrderStatus.CONFIRMED, "CAPTURED")

    await deliver(database, event(shipment(order.id), after=1))
    assert (await view(database, order.id)).status is OrderStatus.COMPLETED


async def test_a_backorder_then_a_shipment_ships_and_a_late_backorder_does_not_undo_it(
    database: Database,
) -> None:
    order = await stored_order(database)
    backorder = BackorderDeclared(order_id=order.id, skus_short=("SKU-LAMP-01",))

    await deliver(database, event(backorder, after=1))
    backordered = await view(database, order.id)
    assert (backordered.status, backordered.fulfillment_status) == (
        OrderStatus.BACKORDERED,
        "BACKORDERED",
    )
    assert detail(backordered, "BackorderDeclared")["skus_short"] == ["SKU-LAMP-01"]

    await deliver(database, event(shipment(order.id), after=5))
    # The same backorder republished late (a new event id) is already known: no change.
    await deliver(database, event(backorder, after=9))
    shipped = await view(database, order.id)
    assert (shipped.status, shipped.fulfillment_status) == (OrderStatus.SHIPPED, "SHIPPED")
    assert [t for t, _ in timeline(shipped)].count("BackorderDeclared") == 1


async def test_dispatch_commit_notification_and_capture_failure_set_their_statuses(
    database: Database,
) -> None:
    order = await stored_order(database)
    assert order.reservation_id is not None
    assert order.authorization_id is not None
    for n, data in enumerate(
        [
            shipment(order.id),
            ShipmentDispatchedV2(
                order_id=order.id, shipment_id="shp_1", carrier="DHL", dispatched_at=T0
            ),
            ReservationCommitted(order_id=order.id, reservation_id=order.reservation_id),
            CustomerNotified(
                order_id=order.id,
                notification_id="ntf_1",
                kind="SHIPMENT_CREATED",
                about_event_id="evt_1",
            ),
            PaymentCaptureFailed(
                order_id=order.id,
                authorization_id=order.authorization_id,
                amount=eur(2856),
                reason="processor unavailable",
            ),
        ]
    ):
        await deliver(database, event(data, after=n + 1))

    seen = await view(database, order.id)
    assert seen.status is OrderStatus.SHIPPED
    assert (seen.fulfillment_status, seen.payment_status, seen.notification_status) == (
        "DISPATCHED",
        "CAPTURE_FAILED",
        "NOTIFIED",
    )
    assert timeline(seen)[-5:] == [
        ("ShipmentCreated", "fulfillment"),
        ("ShipmentDispatched", "fulfillment"),
        ("ReservationCommitted", "inventory"),
        ("CustomerNotified", "communications"),
        ("PaymentCaptureFailed", "payment"),
    ]


async def test_the_same_event_delivered_twice_is_recorded_once(database: Database) -> None:
    order = await stored_order(database)
    shipped = event(shipment(order.id))

    assert await deliver(database, shipped)
    first = await view(database, order.id)
    assert not await deliver(database, shipped)  # the inbox skips it

    again = await view(database, order.id)
    assert again == first
    assert [t for t, _ in timeline(again)].count("ShipmentCreated") == 1


async def test_an_event_republished_with_a_new_id_changes_nothing(database: Database) -> None:
    order = await stored_order(database)
    assert order.authorization_id is not None
    await deliver(database, event(shipment(order.id), after=1))
    await deliver(database, event(capture(order.id, order.authorization_id), after=2))
    before = await view(database, order.id)

    # Reconciliation may republish the same facts with new event ids (and later times).
    assert await deliver(database, event(shipment(order.id), after=30))
    assert await deliver(database, event(capture(order.id, order.authorization_id), after=31))

    assert await view(database, order.id) == before


async def test_a_void_after_a_cancel_is_recorded_and_the_order_stays_cancelled(
    database: Database,
) -> None:
    order = await stored_order(database)
    assert order.authorization_id is not None
    await cancel_order(
        CancelOrder(order.id), sessions=database.sessions, outbox=Outbox(), clock=utc_now
    )
    voided = PaymentVoided(
        order_id=order.id,
        authorization_id=order.authorization_id,
        amount=eur(2856),
        reason="order cancelled",
    )
    await deliver(database, event(voided))
    seen = await view(database, order.id)
    assert (seen.status, seen.payment_status) == (OrderStatus.CANCELLED, "VOIDED")


async def test_an_event_for_an_unknown_order_is_a_transient_error_and_leaves_no_trace(
    database: Database,
) -> None:
    with pytest.raises(UnknownOrder):
        await deliver(database, event(shipment("ord_nobody")))
    async with database.sessions() as session:
        claimed = await session.scalar(text("SELECT count(*) FROM inbox"))
    # The claim rolled back with the handler: the retry (or the DLQ replay) runs it again.
    assert claimed == 0

"""The worked v2 example (docs/event-versioning.md): checkout subscribes to
ShipmentDispatched.v2 only, and a v1 record still in the log reaches the same handler,
upcast by `from_kafka`, with the same outcome."""

from collections.abc import Callable

from checkout.domain.orders import OrderStatus
from shop_contracts import (
    Event,
    ShipmentDispatched,
    ShipmentDispatchedV2,
    from_kafka,
    to_kafka,
)
from shop_servicekit import Database

from .order_events import T0, deliver, detail, event, shipment, stored_order, view


async def dispatch_recorded(
    database: Database, published: Callable[[str], Event]
) -> dict[str, object]:
    """Ship a stored order, deliver `published(order_id)` as the consumer runner decodes
    it from the broker, and return what the timeline recorded of the dispatch."""
    order = await stored_order(database)
    await deliver(database, event(shipment(order.id), after=1))
    decoded = from_kafka(*to_kafka(event(published(order.id), after=2)))
    assert decoded.type == ShipmentDispatchedV2.event_type
    assert await deliver(database, decoded)
    seen = await view(database, order.id)
    assert (seen.status, seen.fulfillment_status) == (OrderStatus.SHIPPED, "DISPATCHED")
    recorded = detail(seen, "ShipmentDispatched")
    recorded.pop("event_id")
    return recorded


async def test_a_v2_dispatch_is_recorded(database: Database) -> None:
    recorded = await dispatch_recorded(
        database,
        lambda order_id: ShipmentDispatchedV2(
            order_id=order_id,
            shipment_id="shp_1",
            carrier="DHL",
            tracking_number="DHL-1",
            dispatched_at=T0,
        ),
    )
    assert recorded == {"shipment_id": "shp_1", "carrier": "DHL", "tracking": "DHL-1"}


async def test_a_v1_dispatch_still_in_the_log_is_upcast_and_recorded_alike(
    database: Database,
) -> None:
    recorded = await dispatch_recorded(
        database,
        lambda order_id: ShipmentDispatched(
            order_id=order_id, shipment_id="shp_1", carrier="DHL", tracking="DHL-1"
        ),
    )
    assert recorded == {"shipment_id": "shp_1", "carrier": "DHL", "tracking": "DHL-1"}

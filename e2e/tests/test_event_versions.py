"""Event versions in the live log (docs/event-versioning.md): a ShipmentDispatched v1 record,
written the way a fulfillment not yet upgraded writes it, reaches checkout, which
subscribes to v2 only, through the contracts' upcaster; a v2 dispatch of the same order
lands next to it under the same name."""

import uuid
from datetime import datetime
from typing import Any

from shop_contracts import CloudEvent, ShipmentDispatched, to_kafka
from shop_e2e import Shop
from shop_e2e.broker import produce_raw, read_topic
from shop_e2e.checks import fully_done
from shop_e2e.report import Scenario


async def test_a_v1_dispatch_left_in_the_log_reaches_checkout_as_v2(
    shop: Shop, broker: str, report: Scenario
) -> None:
    placed = await shop.place_order(shop.new_customer(), [("SKU-MUG-01", 1)])
    order_id = placed["order_id"]

    # A shipment id of its own: fulfillment dispatches the order's real shipment with v2
    # about a second after creating it, and checkout keeps one dispatch per shipment, so a
    # v1 record for that shipment would race it and might be the one dropped. No process
    # needs stopping: only this record can put this shipment on the order.
    suffix = uuid.uuid4().hex[:12].upper()
    old = CloudEvent.create(
        ShipmentDispatched(
            order_id=order_id,
            shipment_id=f"shp_v1{suffix}",
            carrier="DHL",
            tracking=f"DHL-V1{suffix}",
        )
    )
    key, value, headers = to_kafka(old)
    await produce_raw(broker, old.topic, value, key=key, headers=headers)
    report.injected(f"a {old.type} record on {old.topic}")

    def dispatches(order: dict[str, Any]) -> list[dict[str, Any]]:
        return [e for e in order["timeline"] if e["type"] == "ShipmentDispatched"]

    def both_dispatched(order: dict[str, Any]) -> bool:
        ids = [e["detail"]["event_id"] for e in dispatches(order)]
        # The v1 record's and fulfillment's own v2 dispatch, in either order.
        assert old.id in ids, f"the v1 record is not on the timeline yet: {ids}"
        assert len(ids) == 2, f"fulfillment's v2 dispatch is not on the timeline yet: {ids}"
        return fully_done(order)

    order = await shop.wait_for(order_id, both_dispatched, timeout=45)

    [v1] = [e for e in dispatches(order) if e["detail"]["event_id"] == old.id]
    # Checkout's handler reads v2's `tracking_number`: the value v1 called `tracking`.
    assert v1["detail"] == {
        "shipment_id": old.data.shipment_id,
        "carrier": "DHL",
        "tracking": old.data.tracking,
        "event_id": old.id,
    }, v1
    assert datetime.fromisoformat(v1["occurred_at"]) == old.time
    [v2] = [e for e in dispatches(order) if e is not v1]
    [shipment] = await shop.shipments(order_id)
    assert v2["detail"]["shipment_id"] == shipment["shipment_id"], (v2, shipment)
    assert v2["detail"]["tracking"] == shipment["tracking"], (v2, shipment)
    # The log holds both versions for the order, as it does while fulfillment is upgraded.
    versions = {
        r.headers["ce_type"].decode()
        for r in await read_topic(broker, old.topic)
        if r.key == key and b".ShipmentDispatched." in r.headers["ce_type"]
    }
    assert versions == {old.type, "shop.fulfillment.ShipmentDispatched.v2"}, versions
    report.measured("ShipmentDispatched entries on the timeline", len(dispatches(order)))

from datetime import UTC, datetime, timedelta

from fulfillment.domain.allocation import Line, Warehouse
from fulfillment.domain.carriers import carrier_for, tracking_number
from fulfillment.domain.shipments import (
    Backorder,
    BackorderStatus,
    Shipment,
    ShipmentStatus,
    cancel,
    dispatch,
    release,
)

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)
SHIPMENT = Shipment("shp_1", "ord_1", "wh_berlin", ShipmentStatus.CREATED, (Line("MUG", 1),), NOW)
BACKORDER = Backorder("bo_1", "ord_1", BackorderStatus.OPEN, ("LAMP",), (Line("LAMP", 1),), NOW)


def test_dispatch_hands_a_created_shipment_to_its_carrier_once() -> None:
    dispatched = dispatch(SHIPMENT, carrier="DHL", tracking="DHL-1", now=NOW)
    assert (
        dispatched.status,
        dispatched.carrier,
        dispatched.tracking,
        dispatched.dispatched_at,
    ) == (
        ShipmentStatus.DISPATCHED,
        "DHL",
        "DHL-1",
        NOW,
    )
    assert dispatch(dispatched, carrier="UPS", tracking="UPS-2", now=LATER) is dispatched


def test_an_open_backorder_is_released_or_cancelled_and_then_stays_so() -> None:
    released = release(BACKORDER, now=NOW)
    assert (released.status, released.released_at) == (BackorderStatus.RELEASED, NOW)
    assert cancel(released, now=LATER) is released

    cancelled = cancel(BACKORDER, now=NOW)
    assert (cancelled.status, cancelled.cancelled_at) == (BackorderStatus.CANCELLED, NOW)
    assert release(cancelled, now=LATER) is cancelled


def test_each_warehouse_country_has_its_carrier_and_others_a_default() -> None:
    assert (carrier_for("DE"), carrier_for("NL"), carrier_for("FR")) == ("DHL", "PostNL", "UPS")


def test_the_tracking_number_follows_from_the_shipment_so_a_retry_prints_the_same_label() -> None:
    assert tracking_number("PostNL", "shp_01ABC") == "POSTNL-01ABC"
    assert tracking_number("DHL", "shp_01ABC") == tracking_number("DHL", "shp_01ABC")


def test_picks_and_receipts_change_a_copy_of_the_warehouse_never_the_original() -> None:
    berlin = Warehouse("wh_berlin", "Berlin", "DE", 1, {"MUG": 5})
    after = berlin.picked([Line("MUG", 2)]).received("LAMP", 3)
    assert after.on_hand == {"MUG": 3, "LAMP": 3}
    assert berlin.on_hand == {"MUG": 5}

"""A confirmed order's hold cannot end silently (ADR 8).

Checkout confirms the hold itself once the order is stored, so the stock stays held even
while OrderConfirmed cannot reach inventory (its work process is down). And if the hold
ends anyway (here: released behind checkout's back while nothing has shipped yet), the
reconciliation job finds the confirmed order whose hold ended and holds the stock again:
the customer's order still completes, with the stock moves balanced.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from shop_e2e import ProcessControl, Shop
from shop_e2e.checks import assert_every_service_agrees, fully_done
from shop_e2e.report import Scenario
from shop_testing.eventually import eventually

ITEMS = [("SKU-MUG-01", 1)]
# OrderConfirmed does not reach inventory, and nothing ships while the hold is tampered with.
STOPPED = ("inventory-work", "fulfillment-work")


async def test_a_confirmed_orders_hold_is_kept_without_its_event_and_held_again_if_it_ends(
    shop: Shop, control: ProcessControl, tuned: None, internal_apis: None, report: Scenario
) -> None:
    since = datetime.now(UTC) - timedelta(seconds=1)
    customer = shop.new_customer()
    for name in STOPPED:
        control.stop(name)
    try:
        placed = await shop.place_order(customer, ITEMS)
        order_id = placed["order_id"]
        reservation_id = (await shop.order(order_id))["reservation_id"]

        async def confirmed_by_checkout() -> dict[str, Any]:
            reservation = await shop.reservation(reservation_id)
            assert reservation["confirmed_at"] is not None, reservation
            return reservation

        held = await eventually(confirmed_by_checkout, timeout=10, interval=0.1)
        assert held["status"] == "HELD"
        report.injected("inventory-work down: OrderConfirmed never reached inventory")
        report.measured("hold confirmed by checkout's own call", "yes")

        assert (await shop.release_directly(order_id))["status"] == "RELEASED"
        report.injected("the confirmed order's hold released behind checkout's back")

        run = await shop.reconcile(since)
        ours = [f for f in run["findings"] if f["order_id"] == order_id]
        ended = [f for f in ours if f["kind"] == "confirmed-hold-ended"]
        assert len(ended) == 1, await shop.run_report_text(run["run_id"])
        assert ended[0]["repair"]["action"] == "rehold-reservation"
        assert ended[0]["status"] == "REPAIRED", await shop.run_report_text(run["run_id"])
        assert (await shop.reservation(reservation_id))["status"] == "HELD"
        report.measured("findings for the order", ", ".join(sorted(f["kind"] for f in ours)))
    finally:
        for name in STOPPED:
            await control.start(name)

    order = await shop.wait_for(order_id, fully_done, timeout=60)
    await assert_every_service_agrees(shop, order, customer["email"])

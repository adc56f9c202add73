"""The broker restarted, with fulfillment-work down across it.

The embedded broker is memory-only: a restart loses every topic, record and consumer
offset. Events still in an outbox are relayed once it is back and complete their orders by
themselves; events it lost are the reconciliation job's to find and republish, exactly
those. Consumers that stay up across the restart read the new log from its start even
when an offset of the old log was committed into the new broker (docs/broker-restart.md).

A broker that keeps its log (Kafka, and the compose stand-in on its object store) loses
nothing: fulfillment reads what it missed once it is back, and the job may still republish
an event whose relay is late (harmless: every consumer's inbox drops the duplicate).

Either way the scenario requires every order to complete, and reports which path each took.
"""

import time
from datetime import UTC, datetime, timedelta
from typing import Any

from shop_e2e import ProcessControl, Shop
from shop_e2e.checks import (
    assert_every_service_agrees,
    coordination_complete,
    findings_by_order,
    fully_done,
)
from shop_e2e.report import Scenario

ITEMS = [("SKU-PEN-01", 1)]


async def test_after_a_broker_restart_outbox_relays_and_reconciliation_complete_every_order(
    shop: Shop, control: ProcessControl, tuned: None, internal_apis: None, report: Scenario
) -> None:
    since = datetime.now(UTC) - timedelta(seconds=1)
    # 1. Orders whose OrderConfirmed reaches the broker but not fulfillment (it is down).
    control.stop("fulfillment-work")
    try:
        lost = [(c, await shop.place_order(c, ITEMS)) for c in _customers(shop, 3)]
        for _, placed in lost:  # published: reconciliation has consumed it
            order_id = placed["order_id"]
            await shop.wait_until(order_id, lambda o=order_id: shop.coordination(o), timeout=30)

        # 2. The broker restarts (a memory-only one loses those events). Orders placed
        #    while it is away are confirmed anyway; their events wait in checkout's outbox.
        control.stop("broker")
        kept = "kept" if control.broker_keeps_log else "lost (memory-only)"
        report.injected(
            f"broker stopped and started (its log and offsets {kept}), "
            "with fulfillment-work down so 3 OrderConfirmed events were not yet consumed"
        )
        held = []
        for customer in _customers(shop, 2):
            response, took = await shop.timed_checkout(customer, ITEMS)
            assert response.status_code == 201, response.text
            assert took < 2.0, f"checkout took {took:.2f}s with the broker down"
            held.append((customer, response.json()))
        back = time.monotonic()
    finally:
        await control.start("broker")  # the runner recreates the topics once it is ready
        await control.start("fulfillment-work")

    # 3. Whatever the relays publish now flows by itself: the orders placed while the
    #    broker was away complete without the job. Whatever the restart lost is the job's:
    #    wait until each of those is found drifted (a dry run repairs nothing).
    orders = lost + held
    # On the memory-only broker the relay's first records after the restart can still be
    # lost to the consumer groups (seen since the merge of stop 20; the cause is open,
    # docs/broker-restart.md): those orders are then the job's, like the lost ones.
    # A broker that keeps its log must deliver them by itself.
    relay_alone = control.broker_keeps_log
    if relay_alone:
        for _, placed in held:
            await shop.wait_for(placed["order_id"], fully_done, timeout=60)
        report.measured(
            "orders placed while the broker was away, completed by the relay alone",
            f"{len(held)} of {len(held)}",
        )
        report.measured("broker back to those orders complete", time.monotonic() - back, "s")
    repairable = lost if relay_alone else orders

    async def settled() -> dict[str, Any]:
        run = await shop.reconcile(since, dry_run=True)
        found = findings_by_order(run)
        for _, placed in repairable:
            order = await shop.order(placed["order_id"])
            assert fully_done(order) or found.get(order["order_id"]), order["order_id"]
        return run

    await shop.wait_until(lost[0][1]["order_id"], settled, timeout=60)

    # 4. The lost ones: still CONFIRMED, no shipment; the job republishes each from the
    #    outbox, and then they complete. Communications had mailed a lost order's
    #    confirmation around the restart; if checkout has not read that CustomerNotified
    #    by the run (the restart lost it, or communications' relay only published it once
    #    the broker was back), the job also posts the fact to checkout
    #    (order-status-mismatch, checkout behind on `notified` alone).
    run = await shop.reconcile(since)
    found = findings_by_order(run)
    for _, placed in repairable:
        order = await shop.order(placed["order_id"])
        assert order["status"] == "CONFIRMED" or fully_done(order), order
    assert all(f["status"] == "REPAIRED" for f in run["findings"]), run["findings"]
    unnotified = []
    for order_id, findings in found.items():
        by_kind = {f["kind"]: f for f in findings}
        assert len(by_kind) == len(findings), findings  # one finding of each kind
        lost_event = by_kind.pop("order-confirmed-event-lost", None)
        # A broker that keeps its log loses no event: an order it finds is only late
        # (checkout has not read its CustomerNotified yet), with nothing to republish.
        assert lost_event is not None or control.broker_keeps_log, findings
        if lost_event is not None:
            assert lost_event["repair"]["action"] == "republish-order-confirmed", findings
        mismatch = by_kind.pop("order-status-mismatch", None)
        if mismatch is not None:
            assert mismatch["repair"]["action"] == "post-order-facts", mismatch
            assert mismatch["evidence"]["behind"] == ["notified"], mismatch
            assert mismatch["evidence"]["ahead"] == [], mismatch
            unnotified.append(order_id)
        assert not by_kind, findings
    if control.broker_keeps_log:
        report.measured(
            "orders confirmed before the restart, completed from the kept log alone",
            f"{sum(p['order_id'] not in found for _, p in lost)} of {len(lost)}",
        )
    else:
        assert {p["order_id"] for _, p in lost} <= set(found), sorted(found)
        assert set(found) <= {p["order_id"] for _, p in orders}, sorted(found)
    report.measured("reconciliation findings repaired", run["summary"].get("by_kind", {}))
    report.measured(
        "orders whose CustomerNotified checkout had not read (facts posted to checkout)",
        len(unnotified),
    )

    repaired = time.monotonic()
    for customer, placed in orders:
        order = await shop.wait_for(placed["order_id"], fully_done, timeout=60)
        # Checkout hears of each email once; of the confirmation whose notice the job
        # posted instead, maybe never (its CustomerNotified lost) or late (only delayed).
        await assert_every_service_agrees(
            shop,
            order,
            customer["email"],
            customer_notified_may_be_lost=1 if placed["order_id"] in unnotified else 0,
        )
        await coordination_complete(shop, placed["order_id"])
    report.measured("all orders completed after the repair", time.monotonic() - repaired, "s")
    report.measured("broker back to every order complete", time.monotonic() - back, "s")

    # 6. Converged: a second run over the same window finds nothing.
    again = await shop.reconcile(since)
    assert again["findings"] == [], await shop.run_report_text(again["run_id"])


def _customers(shop: Shop, count: int) -> list[dict[str, str]]:
    return [shop.new_customer() for _ in range(count)]

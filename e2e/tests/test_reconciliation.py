"""The reconciliation job against drift made in the real running services: it reports every
kind, a dry run repairs nothing, a run repairs each with a command on the owning service,
every service then agrees, and a second run finds nothing.

How the drift is made, without touching any service's tables:
- orphan reservation / orphan authorization: a hold and an authorization asked for directly
  on inventory and payment, for an order id checkout never saw (a checkout that died
  between its calls leaves exactly that);
- reservation not committed, payment not captured, notifications missing: inventory-work,
  payment-work and communications-work are stopped while an order ships, then the events
  they never read are lost: the memory-only embedded broker restarts; a broker that keeps
  its log (compose) has their groups' committed offsets moved to the log end instead.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from shop_e2e import Deployment, ProcessControl, Shop
from shop_e2e.broker import skip_unread
from shop_e2e.checks import (
    assert_every_service_agrees,
    coordination_complete,
    findings_by_order,
    fully_done,
)
from shop_e2e.report import Scenario
from shop_testing.eventually import eventually

ITEMS = [("SKU-HOODIE-01", 1)]
DOWNSTREAM = ("inventory-work", "payment-work", "communications-work")


async def test_the_reconciliation_job_repairs_every_kind_of_drift_and_then_finds_none(
    shop: Shop,
    deployment: Deployment,
    control: ProcessControl,
    tuned: None,
    internal_apis: None,
    report: Scenario,
) -> None:
    since = datetime.now(UTC) - timedelta(seconds=1)
    tag = shop.new_customer()["id"].removeprefix("cus_e2e_")
    orphan_hold, orphan_auth = f"ord_e2e_orphan_hold_{tag}", f"ord_e2e_orphan_auth_{tag}"
    hold = await shop.reserve_directly(orphan_hold, [("SKU-CAP-01", 1)])
    auth = await shop.authorize_directly(orphan_auth, shop.new_customer(), 1800)
    report.injected("a hold and an authorization for order ids checkout never saw")

    customer = shop.new_customer()
    for name in DOWNSTREAM:
        control.stop(name)
    try:
        placed = await shop.place_order(customer, ITEMS)
        order_id = placed["order_id"]
        await shop.wait_for(
            order_id,
            lambda o: o["status"] == "SHIPPED" and o["fulfillment_status"] == "DISPATCHED",
        )
        if control.broker_keeps_log:
            bootstrap = deployment.kafka_bootstrap_servers
            skipped = [await skip_unread(bootstrap, n.removesuffix("-work")) for n in DOWNSTREAM]
            how = f"their groups' offsets moved to the log end ({sum(skipped)} records)"
        else:
            control.stop("broker")
            how = "a broker restart"
    finally:
        await control.start("broker")  # idempotent: a no-op if it never stopped
        for name in DOWNSTREAM:
            await control.start(name)
    report.injected(
        "an order shipped while inventory-, payment- and communications-work were down, "
        f"then {how} lost the events they had not read"
    )
    order = await shop.order(order_id)
    assert (await shop.reservation(order["reservation_id"]))["status"] == "HELD"
    assert (await shop.authorization(order["authorization_id"]))["status"] == "AUTHORIZED"
    assert await shop.notifications(order_id) == []

    expected = {
        (orphan_hold, "orphan-reservation", "release-reservation"),
        (orphan_auth, "orphan-authorization", "void-authorization"),
        (order_id, "reservation-not-committed", "commit-reservation"),
        (order_id, "payment-not-captured", "capture-payment"),
        (order_id, "notification-missing", "resend-notification"),
    }

    # A dry run reports every drift (once the grace period and deadlines have passed) ...
    async def all_reported() -> dict[str, Any]:
        run = await shop.reconcile(since, dry_run=True)
        assert expected <= _kinds(run), sorted(expected - _kinds(run))
        return run

    dry = await eventually(all_reported, timeout=30, interval=1.0)
    assert {f["status"] for f in dry["findings"]} == {"DRY_RUN"}, dry["findings"]
    # ... and repairs nothing.
    assert (await shop.reservation(hold["reservation_id"]))["status"] == "HELD"
    assert (await shop.authorization(auth["authorization_id"]))["status"] == "AUTHORIZED"
    assert (await shop.reservation(order["reservation_id"]))["status"] == "HELD"
    assert await shop.notifications(order_id) == []

    # A run repairs each finding with a command on the service that owns the state.
    run = await shop.reconcile(since)
    assert expected <= _kinds(run), await shop.run_report_text(run["run_id"])
    open_ = [f for f in run["findings"] if f["status"] != "REPAIRED"]
    assert not open_, await shop.run_report_text(run["run_id"])
    resent = {
        f["repair"]["params"].get("kind")
        for f in findings_by_order(run)[order_id]
        if f["kind"] == "notification-missing"
    }
    assert resent == {"ORDER_CONFIRMED", "SHIPMENT_CREATED"}, resent
    report.measured("findings repaired", run["summary"].get("by_kind", {}))

    # Converged everywhere: the orphans released and voided, the order completed with one
    # email per fact, reconciliation's own view complete.
    async def orphans_undone() -> bool:
        assert (await shop.reservation(hold["reservation_id"]))["status"] == "RELEASED"
        assert (await shop.authorization(auth["authorization_id"]))["status"] == "VOIDED"
        return True

    await eventually(orphans_undone, timeout=15, interval=0.2)
    order = await shop.wait_for(order_id, fully_done, timeout=60)
    await assert_every_service_agrees(shop, order, customer["email"])
    await coordination_complete(shop, order_id)

    again = await shop.reconcile(since)
    assert again["findings"] == [], await shop.run_report_text(again["run_id"])


def _kinds(run: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {
        (f["order_id"], f["kind"], f["repair"]["action"] if f["repair"] else "")
        for f in run["findings"]
    }

"""Collaboration survives its processes: a consumer SIGKILLed mid-flow loses nothing and
duplicates nothing, and comes back by itself; checkout keeps confirming orders while a
consumer is down."""

import asyncio
import time
from typing import Any

import pytest
from shop_e2e import ProcessControl, Shop
from shop_e2e.checks import assert_every_service_agrees, fully_done
from shop_e2e.report import Scenario
from shop_testing.eventually import eventually

NEEDS_WATCHDOG = (
    "needs something that restarts a process that died by itself: the embedded stack's "
    "runner, or compose's restart policy with the Docker daemon on this machine (through a "
    "remote daemon's API a kill counts as a deliberate stop, which the policy leaves down)"
)
# Restarting is immediate; a Python worker's start took 7 s here idle and 46 s with the
# machine's two cores shared by several test runs. The report prints what it measured.
BACK_WITHIN = 90.0

ITEMS = [("SKU-TEE-01", 1)]
CHECKOUT_BUDGET_S = 2.0  # checkout's default budget (CHECKOUT_CHECKOUT_BUDGET_MS)


async def place(shop: Shop, count: int) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """`count` orders at once, each by its own customer: (customer, 201 body) pairs."""
    customers = [shop.new_customer() for _ in range(count)]
    placed = await asyncio.gather(*(shop.place_order(c, ITEMS) for c in customers))
    return list(zip(customers, placed, strict=True))


@pytest.mark.parametrize(
    "process",
    ["checkout-work", "fulfillment-work", "inventory-work", "payment-work", "communications-work"],
)
async def test_a_consumer_killed_mid_flow_loses_nothing_and_duplicates_nothing(
    shop: Shop, control: ProcessControl, process: str, report: Scenario
) -> None:
    in_flight = await place(shop, 3)
    killed = control.kill(process)  # SIGKILL: no offset commit, no graceful shutdown
    report.injected(f"SIGKILL {process} with 3 orders in flight, 2 more placed right after")
    backlog = await place(shop, 2)  # events pile up until it is back
    restarted = time.monotonic()
    await control.start(process)  # the embedded stack restarted it already; a deployment not
    assert control.pid(process) not in (None, killed)

    for customer, placed in in_flight + backlog:
        order = await shop.wait_for(placed["order_id"], fully_done, timeout=45)
        await assert_every_service_agrees(shop, order, customer["email"])
    report.measured("catch-up after the restart", time.monotonic() - restarted, "s")


async def test_a_sigkilled_work_process_is_back_and_ready_within_seconds_by_itself(
    control: ProcessControl, report: Scenario
) -> None:
    if not control.restarts_dead_processes:
        pytest.skip(reason=NEEDS_WATCHDOG)
    killed = control.kill("inventory-work")
    died = time.monotonic()
    report.injected("SIGKILL inventory-work; no call to start")

    await eventually(lambda: control.ready("inventory-work"), timeout=BACK_WITHIN, interval=0.1)

    assert control.pid("inventory-work") not in (None, killed)
    report.measured("back and ready after SIGKILL", time.monotonic() - died, "s")


@pytest.mark.parametrize("process", ["fulfillment-work", "communications-work"])
async def test_checkout_stays_fast_and_correct_while_a_consumer_is_down(
    shop: Shop, control: ProcessControl, process: str, report: Scenario
) -> None:
    control.stop(process)
    report.injected(f"{process} stopped while 5 orders are placed")
    try:
        orders, slowest = [], 0.0
        for _ in range(5):
            customer = shop.new_customer()
            started = time.perf_counter()
            placed = await shop.place_order(customer, ITEMS)
            slowest = max(slowest, time.perf_counter() - started)
            orders.append((customer, placed))
        # Checkout asks only pricing, inventory and payment: a consumer being down is
        # invisible to the customer at checkout time. Had checkout waited on it, the answer
        # would have come at the budget, as a 504; the figure is reported, not judged (one
        # checkout took 1.04 s on a 2-core machine at load 20, an idle one takes ~0.1 s).
        assert slowest < CHECKOUT_BUDGET_S, f"slowest checkout took {slowest:.3f}s"
        for _, placed in orders:
            order = await shop.order(placed["order_id"])
            assert order["status"] in ("CONFIRMED", "SHIPPED", "COMPLETED"), order
            if process == "fulfillment-work":
                assert order["fulfillment_status"] == "PENDING", order
    finally:
        await control.start(process)
    returned = time.monotonic()
    report.measured("slowest checkout while it was down", slowest * 1000, "ms")

    # It catches up: every order completes, and (communications) every email arrives once.
    for customer, placed in orders:
        order = await shop.wait_for(placed["order_id"], fully_done, timeout=45)
        await assert_every_service_agrees(shop, order, customer["email"])
    report.measured("catch-up after it returned", time.monotonic() - returned, "s")

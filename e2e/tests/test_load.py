"""A rush on the last units: a few hundred concurrent checkouts for a scarce SKU. No unit is
sold twice, every accepted order completes, and every refused one leaves nothing held."""

import asyncio
from typing import Any

import httpx
from shop_e2e import Shop
from shop_e2e.checks import fully_done
from shop_e2e.report import Scenario, percentile
from shop_testing.eventually import eventually

SKU = "SKU-PRINT-01"
CHECKOUTS = 300
CONCURRENCY = 20
TOP_UP = 25  # units received before the rush (repeatable: the rush drains what is there)


async def warehouse_units(shop: Shop, sku: str) -> int:
    return sum(
        line["on_hand"]
        for warehouse in await shop.warehouses()
        for line in warehouse["stock"]
        if line["sku"] == sku
    )


async def test_a_rush_on_the_last_units_never_oversells_and_leaves_nothing_held(
    shop: Shop, report: Scenario
) -> None:
    shelved = await warehouse_units(shop, SKU)
    await shop.replenish(SKU, TOP_UP)

    async def shelved_too() -> bool:  # fulfillment shelves what inventory received
        assert await warehouse_units(shop, SKU) >= shelved + TOP_UP
        return True

    await eventually(shelved_too, timeout=30, interval=0.2)
    before = await shop.stock(SKU)
    units = before["available"]
    assert 0 < units < CHECKOUTS, before
    report.injected(
        f"{CHECKOUTS} checkouts of 1 x {SKU}, {CONCURRENCY} at a time, for {units} units"
    )

    gate = asyncio.Semaphore(CONCURRENCY)
    answers: list[tuple[httpx.Response, float]] = []

    async def one() -> None:
        async with gate:
            answers.append(await shop.timed_checkout(shop.new_customer(), [(SKU, 1)]))

    started = asyncio.get_running_loop().time()
    await asyncio.gather(*(one() for _ in range(CHECKOUTS)))
    elapsed = asyncio.get_running_loop().time() - started

    by_status: dict[int, list[dict[str, Any]]] = {}
    for response, _ in answers:
        by_status.setdefault(response.status_code, []).append(response.json())
    accepted = by_status.get(201, [])
    refused = [body for code, bodies in by_status.items() if code != 201 for body in bodies]
    # Admission control turns the excess away at the door (503 overloaded): no order, no
    # key, no call, so nothing to look for afterwards.
    shed = [body for body in refused if body["type"].endswith("/overloaded")]
    refused = [body for body in refused if not body["type"].endswith("/overloaded")]
    times_ms = [took * 1000 for _, took in answers]
    report.measured(
        "answers", ", ".join(f"{len(b)} x {code}" for code, b in sorted(by_status.items()))
    )
    report.measured(
        "checkout latency p50 / p99",
        f"{percentile(times_ms, 50):.0f} / {percentile(times_ms, 99):.0f}",
        "ms",
    )
    report.measured("throughput", CHECKOUTS / elapsed, "checkouts/s")
    report.measured("shed by admission control", len(shed), "checkouts")

    # Only definitive answers or a transient refusal; never an error of ours.
    assert set(by_status) <= {201, 409, 503, 504}, {c: b[:1] for c, b in by_status.items()}
    for body in by_status.get(409, []):
        assert body["type"].endswith("/out-of-stock"), body
        assert body["skus"] == [SKU], body
    # No oversell, and every unit is sold unless a transient refusal left some unsold.
    assert len(accepted) <= units
    if not set(by_status) & {503, 504}:
        assert len(accepted) == units, (len(accepted), units)

    # Every accepted order completes: shipped, captured, committed, notified.
    ids = [body["order_id"] for body in accepted]
    limit = asyncio.Semaphore(CONCURRENCY)

    async def done(order_id: str) -> None:
        async with limit:
            await shop.wait_for(order_id, fully_done, timeout=90)

    await asyncio.gather(*(done(order_id) for order_id in ids))

    # Every refused one holds nothing: rejected, no authorization, any hold released.
    async def holds_nothing(body: dict[str, Any]) -> None:
        async with limit:
            order = await shop.order(body["order_id"])
            assert order["status"] == "REJECTED", order
            assert order["authorization_id"] is None, order
            if order["reservation_id"] is not None:

                async def released() -> bool:
                    hold = await shop.reservation(order["reservation_id"])
                    assert hold["status"] == "RELEASED", hold
                    return True

                await eventually(released, timeout=20, interval=0.2)

    await asyncio.gather(*(holds_nothing(body) for body in refused))

    # And the books balance: what is left is what was there minus what was sold.
    after = await shop.stock(SKU)
    assert after["available"] == units - len(accepted), (before, after, len(accepted))
    assert after["reserved"] == before["reserved"], (before, after)
    assert after["on_hand"] == before["on_hand"] - len(accepted), (before, after)

"""Dead letters: a record no consumer can decode goes to `<group>.dlq` with the error in its
headers while the orders behind it flow on, and the replay command sends it back. A
transient cause (the mail server down) never dead-letters anything: test_outages.py."""

import uuid

from shop_e2e import Shop
from shop_e2e.broker import partitions, produce_raw, read_topic
from shop_e2e.checks import assert_every_service_agrees, fully_done
from shop_e2e.report import Scenario
from shop_testing.eventually import eventually

ITEMS = [("SKU-TOTE-01", 1)]


async def test_a_poison_record_is_dead_lettered_and_the_orders_behind_it_flow(
    shop: Shop, broker: str, report: Scenario
) -> None:
    bootstrap = broker
    key = f"e2e-poison-{uuid.uuid4().hex[:12]}".encode()
    poison = b"\x00\xff this is not a CloudEvent {"
    # One on every partition, so every order placed next queues behind a poison record.
    spread = await partitions(bootstrap, "checkout.orders")
    assert spread, "checkout.orders has no partitions"
    for partition in spread:
        await produce_raw(bootstrap, "checkout.orders", poison, key=key, partition=partition)
    report.injected(f"{len(spread)} undecodable records on checkout.orders (one per partition)")

    customers = [shop.new_customer() for _ in range(3)]
    placed = [await shop.place_order(c, ITEMS) for c in customers]
    for customer, order in zip(customers, placed, strict=True):
        done = await shop.wait_for(order["order_id"], fully_done, timeout=45)
        await assert_every_service_agrees(shop, done, customer["email"])

    async def dead_lettered() -> list[dict[str, bytes]]:
        found = [r for r in await read_topic(bootstrap, "fulfillment.dlq") if r.key == key]
        assert len(found) == len(spread), f"{len(found)} of {len(spread)} in fulfillment.dlq"
        return [r.headers for r in found]

    for headers in await eventually(dead_lettered, timeout=30, interval=0.5):
        assert headers["dlq_original_topic"] == b"checkout.orders", headers
        assert headers["dlq_consumer_group"] == b"fulfillment", headers
        assert headers["dlq_error"], headers
    report.measured("fulfillment.dlq error header", headers["dlq_error"].decode()[:80])

    # Replaying poison puts it back where it came from; still undecodable, it is
    # dead-lettered again, counted, and nothing else stops.
    output = await shop.replay_dlq("fulfillment")
    assert "replayed" in output, output

    async def dead_lettered_again() -> bool:
        again = [
            r
            for r in await read_topic(bootstrap, "fulfillment.dlq")
            if r.key == key and r.headers.get("replay_count") == b"1"
        ]
        assert len(again) == len(spread), f"{len(again)} replayed poison records back"
        return True

    await eventually(dead_lettered_again, timeout=30, interval=0.5)
    customer = shop.new_customer()
    after = await shop.place_order(customer, ITEMS)
    done = await shop.wait_for(after["order_id"], fully_done, timeout=45)
    await assert_every_service_agrees(shop, done, customer["email"])

"""Dead letters: a record no consumer can decode goes to `<group>.dlq` with the error in its
headers while the orders behind it flow on; a record dead-lettered for a transient cause
(the mail server down past the retries) is delivered by the replay command once the cause
is gone, exactly once."""

import time
import uuid

from shop_e2e import ProcessControl, Shop
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


async def test_emails_dead_lettered_while_the_mail_server_was_down_are_sent_once_on_replay(
    shop: Shop, control: ProcessControl, broker: str, report: Scenario
) -> None:
    bootstrap = broker
    customer = shop.new_customer()
    control.stop("smtp")
    report.injected("smtp (the mail sink) stopped: communications' retries run out")
    try:
        placed = await shop.place_order(customer, ITEMS)
        order_id = placed["order_id"]
        # The order completes without its emails: nobody waits on communications.
        await shop.wait_for(
            order_id,
            lambda o: o["status"] == "COMPLETED" and o["notification_status"] != "NOTIFIED",
        )

        async def both_dead_lettered() -> list[dict[str, bytes]]:
            found = [
                r.headers
                for r in await read_topic(bootstrap, "communications.dlq")
                if r.key == order_id.encode()
            ]
            assert len(found) == 2, f"{len(found)} of 2 events in communications.dlq"
            return found

        letters = await shop.wait_until(order_id, both_dead_lettered, timeout=60)
        assert all(h["dlq_consumer_group"] == b"communications" for h in letters), letters
        failed = await shop.notifications(order_id)
        assert failed, "no notification attempt recorded"
        assert all(n["status"] == "FAILED" for n in failed), failed
    finally:
        await control.start("smtp")

    fixed = time.monotonic()
    output = await shop.replay_dlq("communications")
    report.measured("replay-dlq", output.strip())

    order = await shop.wait_for(order_id, fully_done, timeout=45)
    await assert_every_service_agrees(shop, order, customer["email"])  # one email per fact
    report.measured("emails delivered after the replay", time.monotonic() - fixed, "s")
    # A second replay finds nothing new to deliver, and no second email goes out.
    await shop.replay_dlq("communications")
    assert len(await shop.mails_to(customer["email"])) == 2

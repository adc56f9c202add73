"""One correlation id, from the customer's request to the last consumer: the id sent to
POST /v1/checkouts is echoed, stamped on every event the order causes, and written on the
log lines of the workers that handle them."""

import json
import uuid
from typing import Any

from shop_e2e import ProcessControl, Shop
from shop_e2e.broker import read_topic
from shop_testing.eventually import eventually

# Where each event of the chain is published, and its CloudEvents type.
CHAIN = (
    ("checkout.orders", "shop.checkout.OrderConfirmed.v2"),
    ("checkout.contacts", "shop.checkout.OrderContactShared.v1"),
    ("fulfillment.shipments", "shop.fulfillment.ShipmentCreated.v1"),
    ("communications.notifications", "shop.communications.CustomerNotified.v1"),
)
WORKERS = ("fulfillment-work", "communications-work")


async def test_a_correlation_id_sent_to_checkout_follows_the_order_into_events_and_logs(
    shop: Shop, broker: str, control: ProcessControl
) -> None:
    correlation = f"e2e-corr-{uuid.uuid4().hex[:12]}"
    body = shop.checkout_body(shop.new_customer(), [("SKU-MUG-01", 1)])

    response = await shop.post_checkout(body, correlation_id=correlation)

    assert response.status_code == 201, response.text
    assert response.headers["x-correlation-id"] == correlation
    order_id = response.json()["order_id"]

    async def events_carry_it() -> bool:
        for topic, event_type in CHAIN:
            found = [
                r.headers
                for r in await read_topic(broker, topic, fetch_ms=500)
                if r.key == order_id.encode() and r.headers.get("ce_type") == event_type.encode()
            ]
            assert found, f"no {event_type} for {order_id} on {topic} yet"
            carried = {h.get("ce_correlationid", b"").decode() for h in found}
            assert carried == {correlation}, f"{event_type} carries {carried}"
        return True

    await shop.wait_until(order_id, events_carry_it, timeout=45)

    def logs_carry_it() -> bool:
        for worker in WORKERS:
            about = lines_about(control.log_text(worker), order_id)
            handled = [line for line in about if line["message"].startswith("handled ")]
            assert handled, f"{worker} logged nothing about handling {order_id} yet"
            strays = [line for line in about if line.get("correlation_id") != correlation]
            assert not strays, f"{worker} lines about {order_id} without {correlation}: {strays}"
        return True

    await eventually(logs_carry_it, timeout=10)


def lines_about(text: str, order_id: str) -> list[dict[str, Any]]:
    """The JSON log lines of a process that mention the order (other lines are skipped)."""
    found: list[dict[str, Any]] = []
    for line in text.splitlines():
        if order_id in line and line.startswith("{"):
            found.append(json.loads(line))
    return found

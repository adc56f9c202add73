"""Act 2, continued: a line of the completed order comes back (Returns, ADR 15).

The customer asks, the warehouse receives, and then inventory, payment, communications and
returns each give back their part on their own clock: the return ends REFUNDED with its
units on hand again.
"""

import time
import uuid
from typing import Any

import httpx

from shop_stack.demo.checkouts import Urls, stock_line
from shop_stack.demo.collaboration import watch_timeline

SKU = "SKU-MUG-01"


def return_one_unit(
    client: httpx.Client, urls: Urls, customer_headers: dict[str, str], order_id: str
) -> bool:
    """Return one mug of `order_id` as its owner; follow the return until REFUNDED."""
    before = stock_line(client, urls.inventory, SKU)
    created = _request(client, urls.returns, customer_headers, order_id)
    print(f"\n== return 1 x {SKU} of {order_id} (the customer): HTTP {created.status_code}")
    body: dict[str, Any] = created.json()
    if created.status_code != 201:
        print(f"   {body.get('type')}: {body.get('detail') or body.get('title')}")
        return False
    return_id = body["return_id"]
    refund = body["refund"]
    print(f"   {return_id} {body['status']}, refund {refund['amount']} {refund['currency']}")

    received = client.post(f"{urls.returns}/v1/returns/{return_id}/receive")
    print(f"\n== receive {return_id} (the warehouse): HTTP {received.status_code}")
    if not received.is_success:
        print(f"   {received.text[:300]}")
        return False
    done = watch_timeline(
        client,
        f"{urls.returns}/v1/returns/{return_id}",
        lambda ret: ret["status"] == "REFUNDED" and bool(ret["restocked_at"]),
        headers=customer_headers,
    )
    if done is None:
        return False
    print(f"   -> {done['status']}, restocked at {done['restocked_at']}")
    print(f"\nStock of the returned SKU, before and after:\n{before}")
    print(stock_line(client, urls.inventory, SKU))
    return True


def _request(
    client: httpx.Client, returns: str, customer_headers: dict[str, str], order_id: str
) -> httpx.Response:
    """POST /v1/returns, again with the same key while returns has not yet learnt that the
    order shipped (ShipmentCreated travels on its own clock): 409 order-not-returnable."""
    headers = {**customer_headers, "Idempotency-Key": f"demo-ret-{uuid.uuid4()}"}
    body = {"order_id": order_id, "lines": [{"sku": SKU, "quantity": 1}], "reason": "too big"}
    deadline = time.monotonic() + 30
    while True:
        response = client.post(f"{returns}/v1/returns", json=body, headers=headers)
        not_yet = response.status_code in (404, 409) and response.json()["type"].endswith(
            ("/order-not-found", "/order-not-returnable")
        )
        if not not_yet or time.monotonic() > deadline:
            return response
        time.sleep(0.2)

"""The demo scenario `make demo` runs against a stack that is up.

    python -m shop_stack.demo [--checkout http://127.0.0.1:8000 ...]

Three checkouts: one succeeds, one asks for more of the limited print than exists, one is
paid with a card that declines; the stock and payment state then prove nothing was left
held by the two that failed. Then what happens after the checkout, on the services' own
clocks: the successful order is followed to COMPLETED, its timeline printed as the events
arrive; a desk lamp (SKU-LAMP-01, sold by inventory but on no warehouse shelf) is
backordered, replenished with the admin token (env ADMIN_TOKEN, default dev-admin-token),
and followed to COMPLETED too. It talks only to public and admin HTTP APIs, as any client
would.
"""

import argparse
import json
import os
import sys
import time
import uuid
from datetime import datetime
from typing import Any

import httpx

ADDRESS = {
    "name": "Ada Lovelace",
    "line1": "12 Analytical Row",
    "city": "Berlin",
    "postal_code": "10115",
    "country": "DE",
}
SCENARIOS = (
    ("a checkout that succeeds", [("SKU-MUG-01", 2), ("SKU-TEE-01", 1)], "tok_visa"),
    ("more limited prints than exist", [("SKU-PRINT-01", 5)], "tok_visa"),
    ("a card that declines", [("SKU-CAP-01", 1)], "tok_declined"),
)


def checkout_body(items: list[tuple[str, int]], token: str, customer: str) -> dict[str, Any]:
    return {
        "customer": {"id": customer, "email": "ada@example.com"},
        "items": [{"sku": sku, "quantity": quantity} for sku, quantity in items],
        "shipping_address": ADDRESS,
        "payment": {"token": token},
        "currency": "EUR",
    }


def show(title: str, response: httpx.Response) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    print(f"\n== {title}: HTTP {response.status_code}")
    if response.is_success:
        lines = ", ".join(f"{line['quantity']} x {line['sku']}" for line in body["lines"])
        total = body["total"]
        amount = f"{total['amount']} {total['currency']}"
        print(f"   {body['order_id']} {body['status']}: {lines}, total {amount}")
        print(f"   fulfillment {body['fulfillment_status']}")
    else:
        extras = {k: v for k, v in body.items() if k not in ("type", "title", "status", "instance")}
        print(f"   {body['type']}")
        print(f"   {body['title']}: {json.dumps(extras)}")
    return body


def stock_line(client: httpx.Client, inventory: str, sku: str) -> str:
    stock = client.get(f"{inventory}/v1/stock/{sku}").json()
    return (
        f"  {sku:<14} on hand {stock['on_hand']:>4}  reserved {stock['reserved']:>3}"
        f"  available {stock['available']:>4}"
    )


def run(urls: argparse.Namespace) -> int:
    skus = sorted({sku for _, items, _ in SCENARIOS for sku, _ in items})
    with httpx.Client(timeout=10) as client:
        print("Stock before:")
        for sku in skus:
            print(stock_line(client, urls.inventory, sku))

        confirmed = None
        # A new customer per run: payment's velocity rule would flag a demo run many times.
        customer = f"cus_demo_{uuid.uuid4().hex[:8]}"
        for title, items, token in SCENARIOS:
            response = client.post(
                f"{urls.checkout}/v1/checkouts",
                json=checkout_body(items, token, customer),
                headers={"Idempotency-Key": f"demo-{uuid.uuid4()}"},
            )
            body = show(title, response)
            if response.status_code == 201:
                confirmed = body

        print("\nStock after (only the confirmed order holds stock):")
        for sku in skus:
            print(stock_line(client, urls.inventory, sku))

        if confirmed is None:
            print("\nThe successful checkout did not succeed; see var/log/checkout-serve.log")
            return 1
        order = client.get(f"{urls.checkout}/v1/orders/{confirmed['order_id']}").json()
        authorization = client.get(
            f"{urls.payment}/v1/authorizations/{order['authorization_id']}"
        ).json()
        print(
            f"\nOrder {order['order_id']}: {order['status']},"
            f" authorization {authorization['authorization_id']} {authorization['status']}"
            f" for {authorization['amount']['amount']} {authorization['amount']['currency']}"
        )

        print("\n== after the checkout, on the services' own clocks")
        if follow(client, urls.checkout, order["order_id"], ("COMPLETED",)) is None:
            return 1
        return 0 if backorder_then_replenish(client, urls, customer) else 1
    return 0


def backorder_then_replenish(client: httpx.Client, urls: argparse.Namespace, customer: str) -> bool:
    """A lamp the warehouses lack: BACKORDERED, then replenished, then COMPLETED."""
    response = client.post(
        f"{urls.checkout}/v1/checkouts",
        json=checkout_body([("SKU-LAMP-01", 1)], "tok_visa", customer),
        headers={"Idempotency-Key": f"demo-{uuid.uuid4()}"},
    )
    body = show("a desk lamp no warehouse holds", response)
    if response.status_code != 201:
        return False
    order_id = body["order_id"]
    seen: set[tuple[str, str]] = set()
    reached = follow(client, urls.checkout, order_id, ("BACKORDERED", "COMPLETED"), seen)
    if reached != "BACKORDERED":
        return reached == "COMPLETED"  # a shelf still held a lamp from an earlier run
    token = os.environ.get("ADMIN_TOKEN", "dev-admin-token")
    # Exactly what the order lacks, so the shelves are empty again for the next run.
    replenished = client.post(
        f"{urls.inventory}/v1/stock/SKU-LAMP-01/replenish",
        json={"quantity": 1},
        headers={"Authorization": f"Bearer {token}"},
    )
    print(f"\n== replenish 1 x SKU-LAMP-01 (admin): HTTP {replenished.status_code}")
    if not replenished.is_success:
        print(f"   {replenished.text[:300]}")
        return False
    return follow(client, urls.checkout, order_id, ("COMPLETED",), seen) == "COMPLETED"


def follow(
    client: httpx.Client,
    checkout: str,
    order_id: str,
    until: tuple[str, ...],
    seen: set[tuple[str, str]] | None = None,
    within: float = 30.0,
) -> str | None:
    """Print the order's timeline entries not in `seen` as they arrive, until its status is
    in `until`; return that status (None: not within `within` s)."""
    print(f"   {order_id}, until {' or '.join(until)}:")
    seen = set() if seen is None else seen
    deadline = time.monotonic() + within
    while True:
        order = client.get(f"{checkout}/v1/orders/{order_id}").json()
        # Entries are keyed, not counted: an event that happened earlier may arrive later.
        for entry in order["timeline"]:
            key = (entry["type"], entry["occurred_at"])
            if key not in seen:
                seen.add(key)
                print(timeline_line(entry))
        if order["status"] in until:
            print(
                f"   -> {order['status']}  fulfillment {order['fulfillment_status']},"
                f" payment {order['payment_status']}, notification {order['notification_status']}"
            )
            return str(order["status"])
        if time.monotonic() > deadline:
            print(f"   still {order['status']} after {within:.0f}s; see var/log/*-work.log")
            return None
        time.sleep(0.2)


def timeline_line(entry: dict[str, Any]) -> str:
    at = datetime.fromisoformat(entry["occurred_at"]).strftime("%H:%M:%S.%f")[:-3]
    keys = ("shipment_id", "skus_short", "reservation_id", "authorization_id", "kind", "reason")
    detail = " ".join(f"{k}={entry['detail'][k]}" for k in keys if entry["detail"].get(k))
    return f"     {at}  {entry['source']:<14} {entry['type']:<22} {detail}".rstrip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--checkout", default="http://127.0.0.1:8000")
    parser.add_argument("--inventory", default="http://127.0.0.1:8002")
    parser.add_argument("--payment", default="http://127.0.0.1:8003")
    sys.exit(run(parser.parse_args()))


if __name__ == "__main__":
    main()

"""The demo scenario `make demo` runs against a stack that is up: three checkouts.

    python -m shop_stack.demo [--checkout http://127.0.0.1:8000 ...]

One checkout succeeds, one asks for more of the limited print than exists, one is paid
with a card that declines. For each it prints the answer, then the stock and payment state
that proves nothing was left held by the two that failed. It talks only to public and
admin HTTP APIs, as any client would.
"""

import argparse
import json
import sys
import uuid
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
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--checkout", default="http://127.0.0.1:8000")
    parser.add_argument("--inventory", default="http://127.0.0.1:8002")
    parser.add_argument("--payment", default="http://127.0.0.1:8003")
    sys.exit(run(parser.parse_args()))


if __name__ == "__main__":
    main()

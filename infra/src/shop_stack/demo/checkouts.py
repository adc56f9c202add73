"""Act 1: coordination. Three checkouts and the state they leave behind."""

import json
import uuid
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Urls:
    checkout: str
    inventory: str
    payment: str
    reconciliation: str
    returns: str


def place(
    client: httpx.Client,
    urls: Urls,
    title: str,
    items: list[tuple[str, int]],
    token: str,
    customer: str,
) -> httpx.Response:
    response = client.post(
        f"{urls.checkout}/v1/checkouts",
        json=checkout_body(items, token, customer),
        headers={"Idempotency-Key": f"demo-{uuid.uuid4()}"},
    )
    show(title, response)
    return response


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


def three_checkouts(client: httpx.Client, urls: Urls, customer: str) -> str | None:
    """Place the three checkouts; return the confirmed order's id."""
    skus = sorted({sku for _, items, _ in SCENARIOS for sku, _ in items})
    print("Stock before:")
    for sku in skus:
        print(stock_line(client, urls.inventory, sku))

    confirmed = None
    for title, items, token in SCENARIOS:
        response = place(client, urls, title, items, token, customer)
        if response.status_code == 201:
            confirmed = str(response.json()["order_id"])

    print("\nStock after (only the confirmed order holds stock):")
    for sku in skus:
        print(stock_line(client, urls.inventory, sku))
    if confirmed is None:
        print("\nThe successful checkout did not succeed; see var/log/checkout-serve.log")
        return None
    order = client.get(f"{urls.checkout}/v1/orders/{confirmed}").json()
    authorization = client.get(
        f"{urls.payment}/v1/authorizations/{order['authorization_id']}"
    ).json()
    print(
        f"\nOrder {order['order_id']}: {order['status']},"
        f" authorization {authorization['authorization_id']} {authorization['status']}"
        f" for {authorization['amount']['amount']} {authorization['amount']['currency']}"
    )
    return confirmed

"""Act 2: collaboration. Orders followed to the end on the services' own clocks."""

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx

from shop_stack.demo.checkouts import Urls, place


def backorder_then_replenish(client: httpx.Client, urls: Urls, customer: str) -> bool:
    """A lamp the warehouses lack: BACKORDERED, then replenished, then COMPLETED."""
    response = place(
        client, urls, "a desk lamp no warehouse holds", [("SKU-LAMP-01", 1)], "tok_visa", customer
    )
    if response.status_code != 201:
        return False
    order_id = response.json()["order_id"]
    seen: set[tuple[str, str]] = set()
    reached = follow(client, urls.checkout, order_id, ("BACKORDERED", "COMPLETED"), seen)
    if reached != "BACKORDERED":
        return reached == "COMPLETED"  # a shelf still held a lamp from an earlier run
    # Exactly what the order lacks, so the shelves are empty again for the next run.
    replenished = client.post(
        f"{urls.inventory}/v1/stock/SKU-LAMP-01/replenish",
        json={"quantity": 1},
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
    order = watch_timeline(
        client,
        f"{checkout}/v1/orders/{order_id}",
        lambda order: order["status"] in until,
        seen=seen,
        within=within,
    )
    if order is None:
        return None
    print(
        f"   -> {order['status']}  fulfillment {order['fulfillment_status']},"
        f" payment {order['payment_status']}, notification {order['notification_status']}"
    )
    return str(order["status"])


def watch_timeline(
    client: httpx.Client,
    url: str,
    done: Callable[[dict[str, Any]], bool],
    *,
    headers: dict[str, str] | None = None,
    seen: set[tuple[str, str]] | None = None,
    within: float = 30.0,
) -> dict[str, Any] | None:
    """Poll the order or return at `url`, printing its timeline entries not in `seen` as
    they arrive, until `done` holds for it; return it (None: not within `within` s)."""
    seen = set() if seen is None else seen
    deadline = time.monotonic() + within
    while True:
        found: dict[str, Any] = client.get(url, headers=headers).json()
        # Entries are keyed, not counted: an event that happened earlier may arrive later.
        for entry in found["timeline"]:
            key = (entry["type"], entry["occurred_at"])
            if key not in seen:
                seen.add(key)
                print(timeline_line(entry))
        if done(found):
            return found
        if time.monotonic() > deadline:
            print(f"   still {found['status']} after {within:.0f}s; see var/log/*-work.log")
            return None
        time.sleep(0.2)


# The detail worth a line, of an order's or a return's timeline entry.
DETAIL_KEYS = (
    "shipment_id",
    "skus_short",
    "reservation_id",
    "authorization_id",
    "refund_id",
    "kind",
    "reason",
)


def timeline_line(entry: dict[str, Any]) -> str:
    at = datetime.fromisoformat(entry["occurred_at"]).strftime("%H:%M:%S.%f")[:-3]
    detail = " ".join(f"{k}={entry['detail'][k]}" for k in DETAIL_KEYS if entry["detail"].get(k))
    return f"     {at}  {entry['source']:<14} {entry['type']:<22} {detail}".rstrip()

"""Act 3: reconciliation. Break three things on purpose, then let the job repair them.

- An orphan reservation: a hold made straight on inventory for an order checkout never saw
  (as when a checkout process dies between reserving and answering).
- An orphan authorization: the same on payment.
- A lost event: fulfillment-work is stopped, an order is confirmed, and once the other
  consumers have read its OrderConfirmed the broker is restarted. The embedded broker keeps
  its log in memory, so fulfillment, back up, never hears of the order.

A dry run lists what drifted; a repairing run fixes each through the owning service; the
lost order is then followed to COMPLETED, and a last run finds nothing.
"""

import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import httpx

from shop_stack.demo.checkouts import Urls, place
from shop_stack.demo.collaboration import follow

T = TypeVar("T")


def break_and_reconcile(client: httpx.Client, urls: Urls, customer: str) -> bool:
    reservation = orphan_reservation(client, urls)
    authorization = orphan_authorization(client, urls, customer)
    lost = lose_order_confirmed(client, urls, customer)
    if lost is None:
        return False

    print("\n== a dry run, once the deadlines have passed (seconds on a local stack)")
    expected = {"orphan-reservation", "orphan-authorization", "order-confirmed-event-lost"}
    dry = wait_for(lambda: run_with_kinds(client, urls, expected, dry_run=True), within=60)
    if dry is None:
        print("   the dry run never found all three; see var/log/reconciliation-*.log")
        return False
    print_run(client, urls, dry)

    print("\n== the repairing run")
    print_run(client, urls, start_run(client, urls, dry_run=False))
    show_repaired(client, urls, reservation, authorization)
    if follow(client, urls.checkout, lost, ("COMPLETED",)) is None:
        return False

    print("\n== a second run")
    again = wait_for(lambda: run_with_kinds(client, urls, set(), dry_run=False), within=30)
    print_run(client, urls, again or start_run(client, urls, dry_run=False))
    return again is not None


def orphan_reservation(client: httpx.Client, urls: Urls) -> str:
    order_id = f"ord_demo_orphan_{uuid.uuid4().hex[:10]}"
    response = client.post(
        f"{urls.inventory}/v1/reservations",
        json={
            "order_id": order_id,
            "items": [{"sku": "SKU-NOTE-01", "quantity": 1}],
            "ttl_seconds": 3600,
        },
    )
    hold = response.json()
    print(f"== an orphan hold: {hold['reservation_id']} for {order_id}, unknown to checkout")
    return str(hold["reservation_id"])


def orphan_authorization(client: httpx.Client, urls: Urls, customer: str) -> str:
    order_id = f"ord_demo_orphan_{uuid.uuid4().hex[:10]}"
    response = client.post(
        f"{urls.payment}/v1/authorizations",
        json={
            "order_id": order_id,
            "customer_id": customer,
            "amount": 1500,
            "currency": "EUR",
            "token": "tok_visa",
        },
    )
    authorization = response.json()
    print(f"== an orphan authorization: {authorization['authorization_id']} for {order_id}")
    return str(authorization["authorization_id"])


def lose_order_confirmed(client: httpx.Client, urls: Urls, customer: str) -> str | None:
    print("== a lost event: fulfillment-work stops, an order is confirmed, the broker restarts")
    stack("stop", "fulfillment-work")
    response = place(
        client, urls, "an order whose event will be lost", [("SKU-PEN-01", 1)], "tok_visa", customer
    )
    if response.status_code != 201:
        stack("start", "fulfillment-work")
        return None
    order_id = str(response.json()["order_id"])
    # Once checkout has heard back from communications, OrderConfirmed was on the broker.
    heard = wait_for(lambda: notified(client, urls, order_id), within=30)
    stack("restart", "broker")
    stack("start", "fulfillment-work")
    return order_id if heard else None


def notified(client: httpx.Client, urls: Urls, order_id: str) -> bool:
    order = client.get(f"{urls.checkout}/v1/orders/{order_id}").json()
    return bool(order["notification_status"] == "NOTIFIED")


def start_run(client: httpx.Client, urls: Urls, *, dry_run: bool) -> dict[str, Any]:
    response = client.post(
        f"{urls.reconciliation}/v1/reconciliation/runs",
        json={"since": "1h", "dry_run": dry_run},
    )
    run: dict[str, Any] = response.json()
    return run


def run_with_kinds(
    client: httpx.Client, urls: Urls, kinds: set[str], *, dry_run: bool
) -> dict[str, Any] | None:
    """A run, if its findings include every kind in `kinds` (or, for none, find nothing)."""
    run = start_run(client, urls, dry_run=dry_run)
    found = {finding["kind"] for finding in run.get("findings", [])}
    done = kinds <= found if kinds else not found
    return run if done and run.get("status") == "SUCCEEDED" else None


def print_run(client: httpx.Client, urls: Urls, run: dict[str, Any]) -> None:
    text = client.get(
        f"{urls.reconciliation}/v1/reconciliation/runs/{run['run_id']}",
        params={"format": "text"},
    ).text
    print("\n".join(f"   {line}" for line in text.splitlines()))


def show_repaired(client: httpx.Client, urls: Urls, reservation: str, authorization: str) -> None:
    hold = client.get(f"{urls.inventory}/v1/reservations/{reservation}").json()
    auth = client.get(f"{urls.payment}/v1/authorizations/{authorization}").json()
    print(
        f"\n   hold {reservation}: {hold['status']}; authorization {authorization}:"
        f" {auth['status']}"
    )


def stack(command: str, name: str) -> None:
    """Stop, start or restart one process of the local stack through its runner."""
    subprocess.run(
        [sys.executable, "-m", "shop_stack", command, name],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def wait_for(check: Callable[[], T | None], *, within: float) -> T | None:
    """Poll `check` every second until it returns a value (not None or False)."""
    deadline = time.monotonic() + within
    while (value := check()) is None or value is False:
        if time.monotonic() > deadline:
            return None
        time.sleep(1.0)
    return value

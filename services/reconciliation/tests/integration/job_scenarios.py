"""Scenarios of the job tests: drift of every repairable kind planted in the stubs, what a
run must find of it, and a run started through the API."""

from typing import Any

import httpx
from shop_servicekit import utc_now

from .stub_rows import (
    ago,
    authorization_row,
    backorder_row,
    completed_order,
    notification_row,
    order_row,
    reservation_row,
)
from .stubs import ShopStubs

PROBLEMS = "https://shop.example/problems/"


def drift_of_every_repairable_kind(stubs: ShopStubs) -> None:
    hour_ago = ago(3600)
    stubs.add(completed_order("ord_fine", at=hour_ago))
    # OrderConfirmed never reached fulfillment.
    stubs.orders.append(
        order_row(
            "ord_lost",
            "CONFIRMED",
            at=ago(600),
            fulfillment="PENDING",
            payment="AUTHORIZED",
            notification="PENDING",
        )
    )
    stubs.reservations.append(reservation_row("ord_lost", "HELD", at=ago(601)))
    stubs.authorizations.append(authorization_row("ord_lost", "AUTHORIZED", at=ago(601)))
    # A checkout that died after reserving and authorizing.
    stubs.reservations.append(reservation_row("ord_orphan", "HELD", at=ago(1200)))
    stubs.authorizations.append(authorization_row("ord_orphan", "AUTHORIZED", at=ago(1200)))
    # Shipped, but inventory never committed.
    stubs.add(completed_order("ord_uncommitted", at=hour_ago))
    stubs.of("reservations", "ord_uncommitted")[0]["status"] = "HELD"
    # Shipped, but payment never captured (checkout knows it is not captured).
    stubs.add(completed_order("ord_uncaptured", at=hour_ago))
    stubs.of("authorizations", "ord_uncaptured")[0].update(status="AUTHORIZED", captured_at=None)
    stubs.of("orders", "ord_uncaptured")[0].update(status="SHIPPED", payment_status="AUTHORIZED")
    # Shipped, but the customer was never told.
    stubs.add(completed_order("ord_unnotified", at=hour_ago))
    stubs.notifications[:] = [
        n
        for n in stubs.notifications
        if not (n["order_id"] == "ord_unnotified" and n["kind"] == "SHIPMENT_CREATED")
    ]
    # Everything happened, but checkout missed the news.
    stubs.add(completed_order("ord_behind", at=hour_ago))
    stubs.of("orders", "ord_behind")[0].update(
        status="CONFIRMED", fulfillment_status="PENDING", payment_status="AUTHORIZED"
    )


EXPECTED = [
    (
        "order-confirmed-event-lost",
        "ord_lost",
        ("checkout", "/internal/v1/orders/ord_lost/republish"),
    ),
    (
        "orphan-authorization",
        "ord_orphan",
        ("payment", "/v1/authorizations/by-order/ord_orphan/void"),
    ),
    (
        "orphan-reservation",
        "ord_orphan",
        ("inventory", "/v1/reservations/by-order/ord_orphan/release"),
    ),
    ("order-status-mismatch", "ord_behind", ("checkout", "/internal/v1/orders/ord_behind/facts")),
    (
        "payment-not-captured",
        "ord_uncaptured",
        ("payment", "/internal/v1/authorizations/by-order/ord_uncaptured/capture"),
    ),
    (
        "reservation-not-committed",
        "ord_uncommitted",
        ("inventory", "/internal/v1/reservations/by-order/ord_uncommitted/commit"),
    ),
    (
        "notification-missing",
        "ord_unnotified",
        ("communications", "/internal/v1/notifications/resend"),
    ),
]


def fulfillment_allocates(stubs: ShopStubs, order_id: str) -> None:
    """What the republished OrderConfirmed leads to: fulfillment backorders, all learn it."""
    stubs.backorders.append(backorder_row(order_id, at=utc_now()))
    stubs.notifications.append(notification_row(order_id, "ORDER_CONFIRMED", at=utc_now()))
    stubs.notifications.append(notification_row(order_id, "BACKORDER_DECLARED", at=utc_now()))
    stubs.of("orders", order_id)[0].update(status="BACKORDERED", fulfillment_status="BACKORDERED")


async def start_run(api: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    response = await api.post("/v1/reconciliation/runs", json={"since": "24h", **body})
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"/v1/reconciliation/runs/{response.json()['run_id']}"
    return dict(response.json())


def found(run: dict[str, Any]) -> list[tuple[str, str, str]]:
    return sorted((f["kind"], f["order_id"], f["status"]) for f in run["findings"])

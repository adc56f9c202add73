"""What "done, everywhere, exactly once" means for an order, checked from the outside.

order = await shop.wait_for(order_id, fully_done)
await assert_every_service_agrees(shop, order, customer["email"])
"""

from __future__ import annotations

from typing import Any

from shop_e2e.shop import Shop

ONCE_PER_ORDER = (
    "OrderConfirmed",
    "ShipmentCreated",
    "ShipmentDispatched",
    "ReservationCommitted",
    "PaymentCaptured",
)


def timeline_types(order: dict[str, Any]) -> list[str]:
    return [entry["type"] for entry in order["timeline"]]


def fully_done(order: dict[str, Any]) -> bool:
    types = timeline_types(order)
    return (
        order["status"] == "COMPLETED"
        and order["fulfillment_status"] == "DISPATCHED"
        and order["notification_status"] == "NOTIFIED"
        and all(t in types for t in ONCE_PER_ORDER)
    )


async def lamp_on_shelves(shop: Shop) -> int:
    """The most SKU-LAMP-01 any one warehouse holds (0 on a fresh stack)."""
    return max(
        (
            line["on_hand"]
            for warehouse in await shop.warehouses()
            for line in warehouse["stock"]
            if line["sku"] == "SKU-LAMP-01"
        ),
        default=0,
    )


async def assert_every_service_agrees(
    shop: Shop, order: dict[str, Any], email: str, *, customer_notified_may_be_lost: int = 0
) -> None:
    """The order is done everywhere, and every effect happened exactly once.

    `customer_notified_may_be_lost`: how many of the order's CustomerNotified events may
    never reach checkout (a broker restart lost them, or only delayed them) because
    reconciliation posted the fact instead: checkout's timeline may hold that many fewer,
    and has a StatusCorrected naming `notified`."""
    order_id = order["order_id"]
    reservation = await shop.reservation(order["reservation_id"])
    assert reservation["status"] == "COMMITTED", reservation
    authorization = await shop.authorization(order["authorization_id"])
    assert authorization["status"] == "CAPTURED", authorization
    [shipment] = await shop.shipments(order_id)
    assert shipment["status"] == "DISPATCHED", shipment

    async def notified_and_mailed() -> list[dict[str, Any]]:
        notifications = await shop.notifications(order_id)
        kinds = [n["kind"] for n in notifications]
        assert {"ORDER_CONFIRMED", "SHIPMENT_CREATED"} <= set(kinds), kinds
        assert all(n["status"] == "SENT" for n in notifications), notifications
        # One distinct email per notification. A worker killed between the mail server's
        # acceptance and its SENT record resends the email with the same Message-ID (the
        # residual window of docs/messaging-failures.md); a second notification would not.
        mails = await shop.mails_to(email)
        assert len({m["MessageID"] for m in mails}) == len(notifications), (len(mails), kinds)
        return notifications

    notifications = await shop.wait_until(order_id, notified_and_mailed)
    kinds = [n["kind"] for n in notifications]
    assert len(kinds) == len(set(kinds)), f"a notification was sent twice: {kinds}"

    fewest = len(notifications) - customer_notified_may_be_lost
    final = await shop.wait_for(
        order_id,
        lambda o: fewest <= timeline_types(o).count("CustomerNotified") <= len(notifications),
    )
    types = timeline_types(final)
    if customer_notified_may_be_lost:
        corrected = [e for e in final["timeline"] if e["type"] == "StatusCorrected"]
        assert any("notified" in e["detail"].get("facts", ()) for e in corrected), corrected
    for once in ONCE_PER_ORDER:
        assert types.count(once) == 1, (once, types)


async def coordination_complete(
    shop: Shop,
    order_id: str,
    *,
    timeout: float = 30.0,  # noqa: ASYNC109  (a polling budget)
) -> Any:
    """Reconciliation's coordination state of the order once every step is done."""

    async def complete() -> Any:
        state = await shop.coordination(order_id)
        assert state is not None, "reconciliation has seen no event of the order"
        assert state["status"] == "COMPLETE", {s["step"]: s["status"] for s in state["steps"]}
        return state

    return await shop.wait_until(order_id, complete, timeout=timeout)


def findings_by_order(run: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """A run's findings grouped by order id."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for finding in run["findings"]:
        grouped.setdefault(finding["order_id"], []).append(finding)
    return grouped

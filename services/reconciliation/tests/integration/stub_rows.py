"""Rows as the five services' internal reads answer them (docs/reconciliation.md), for
the stubs to serve.

    stubs.orders.append(order_row("ord_1", "CONFIRMED", at=ago(600)))
    stubs.add(completed_order("ord_2", at=ago(900)))   # every source agrees on ord_2
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from shop_servicekit import utc_now

Row = dict[str, Any]


def ago(seconds: float) -> datetime:
    return utc_now() - timedelta(seconds=seconds)


def order_row(
    order_id: str,
    status: str = "COMPLETED",
    *,
    at: datetime,
    fulfillment: str = "SHIPPED",
    payment: str = "CAPTURED",
    notification: str = "NOTIFIED",
) -> Row:
    return {
        "order_id": order_id,
        "status": status,
        "fulfillment_status": fulfillment,
        "payment_status": payment,
        "notification_status": notification,
        "reservation_id": f"res_{order_id}",
        "authorization_id": f"auth_{order_id}",
        "customer_id": "cus_1",
        "customer_email": "ada@example.com",
        "total": {"amount": 2856, "currency": "EUR"},
        "created_at": at,
        "updated_at": at + timedelta(seconds=30),
    }


def reservation_row(order_id: str, status: str, *, at: datetime) -> Row:
    return {
        "reservation_id": f"res_{order_id}",
        "order_id": order_id,
        "status": status,
        "created_at": at,
        "committed_at": at + timedelta(seconds=20) if status == "COMMITTED" else None,
        "released_at": at + timedelta(seconds=20) if status == "RELEASED" else None,
    }


def authorization_row(order_id: str, status: str, *, at: datetime) -> Row:
    return {
        "authorization_id": f"auth_{order_id}",
        "order_id": order_id,
        "status": status,
        "amount": {"amount": 2856, "currency": "EUR"},
        "created_at": at,
        "captured_at": at + timedelta(seconds=20) if status == "CAPTURED" else None,
        "voided_at": at + timedelta(seconds=20) if status == "VOIDED" else None,
    }


def shipment_row(order_id: str, *, at: datetime, status: str = "CREATED") -> Row:
    return {
        "shipment_id": f"shp_{order_id}",
        "order_id": order_id,
        "status": status,
        "warehouse_id": "wh_berlin",
        "created_at": at,
    }


def backorder_row(order_id: str, *, at: datetime) -> Row:
    return {
        "backorder_id": f"bo_{order_id}",
        "order_id": order_id,
        "status": "OPEN",
        "created_at": at,
    }


def notification_row(order_id: str, kind: str, *, at: datetime, status: str = "SENT") -> Row:
    return {
        "notification_id": f"ntf_{order_id}_{kind}_{at.timestamp()}",
        "order_id": order_id,
        "kind": kind,
        "status": status,
        "created_at": at,
    }


def completed_order(order_id: str, *, at: datetime) -> dict[str, list[Row]]:
    """The rows of an order every service agrees is done."""
    return {
        "orders": [order_row(order_id, at=at)],
        "reservations": [reservation_row(order_id, "COMMITTED", at=at - timedelta(seconds=1))],
        "authorizations": [authorization_row(order_id, "CAPTURED", at=at - timedelta(seconds=1))],
        "shipments": [shipment_row(order_id, at=at + timedelta(seconds=10))],
        "notifications": [
            notification_row(order_id, "ORDER_CONFIRMED", at=at + timedelta(seconds=5)),
            notification_row(order_id, "SHIPMENT_CREATED", at=at + timedelta(seconds=15)),
        ],
    }

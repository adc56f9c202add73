"""Reconciliation's read of the orders (GET /internal/v1/orders), in the caller's session.

    page = await read_orders_page(session, window)    # Page(items=[...], next_cursor=...)

One item per order, the columns reconciliation compares with the other services' records.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shop_servicekit import Page, Window, read_page
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from checkout.adapters.tables import orders


async def read_orders_page(session: AsyncSession, window: Window) -> Page:
    return await read_page(
        session,
        select(*ITEM_COLUMNS),
        orders.c.created_at,
        orders.c.id,
        window,
        render=order_item,
    )


ITEM_COLUMNS = (
    orders.c.id,
    orders.c.status,
    orders.c.fulfillment_status,
    orders.c.payment_status,
    orders.c.notification_status,
    orders.c.reservation_id,
    orders.c.authorization_id,
    orders.c.customer_id,
    orders.c.customer_email,
    orders.c.total,
    orders.c.currency,
    orders.c.created_at,
    orders.c.updated_at,
    orders.c.superseded_by,
)


def order_item(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "order_id": row["id"],
        "status": row["status"],
        "fulfillment_status": row["fulfillment_status"],
        "payment_status": row["payment_status"],
        "notification_status": row["notification_status"],
        "reservation_id": row["reservation_id"],
        "authorization_id": row["authorization_id"],
        # Who to tell and what: a repair that resends a notification carries them.
        "customer_id": row["customer_id"],
        "customer_email": row["customer_email"],
        "total": {"amount": row["total"], "currency": row["currency"]},
        "created_at": row["created_at"],
        # Moves whenever a fact, a status or the compensation changes.
        "updated_at": row["updated_at"],
        # A transient failure's order, replaced by its key's retry (ADR 0011).
        "superseded_by": row["superseded_by"],
    }

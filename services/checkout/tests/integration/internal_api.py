"""Helpers of the internal-route tests (reconciliation's reads and repairs on checkout)."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import httpx
from shop_contracts import (
    from_kafka,
)
from shop_messaging import OutboxRelay, Record
from shop_servicekit import Database
from shop_testing.credentials import bearer
from sqlalchemy import text

from .order_events import T0

PROBLEMS = "https://shop.example/problems/"
# Reconciliation's own credential (its internal routes accept nobody else).
ADMIN = bearer("reconciliation", "checkout")


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


class Captured:
    """A publisher that keeps what the relay sends."""

    def __init__(self) -> None:
        self.records: list[Record] = []

    async def publish(self, records: Sequence[Record]) -> None:
        self.records.extend(records)


async def relay(database: Database) -> list[tuple[str, Any]]:
    """One pass of the outbox relay: (event id, data) of every event it sent."""
    publisher = Captured()
    await OutboxRelay(database.engine, publisher, notify_channel=None).publish_once()
    events = [from_kafka(r.key, r.value, r.headers) for r in publisher.records]
    return [(e.id, e.data) for e in events]


async def outbox(database: Database) -> list[tuple[str, str, str, bool]]:
    """(event id, type, key, published) of every outbox row, in order."""
    async with database.sessions() as session:
        rows = await session.execute(
            text("SELECT event_id, type, key, published_at FROM outbox ORDER BY id")
        )
    return [(r.event_id, r.type.split(".")[2], r.key, r.published_at is not None) for r in rows]


async def read_all(api: httpx.AsyncClient, **params: str) -> tuple[list[dict[str, Any]], int]:
    """Every item of the window, following the cursor; and how many pages that took."""
    items: list[dict[str, Any]] = []
    pages = 0
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = await api.get("/internal/v1/orders", params=query, headers=ADMIN)
        assert response.status_code == 200, response.text
        page = response.json()
        pages += 1
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items, pages


async def item(api: httpx.AsyncClient, order_id: str) -> dict[str, Any]:
    items, _ = await read_all(api, since=at(-60).isoformat())
    [found] = [i for i in items if i["order_id"] == order_id]
    return found


async def republish(api: httpx.AsyncClient, order_id: str) -> httpx.Response:
    return await api.post(f"/internal/v1/orders/{order_id}/republish", headers=ADMIN)


async def post_facts(api: httpx.AsyncClient, order_id: str, **facts: Any) -> httpx.Response:
    return await api.post(f"/internal/v1/orders/{order_id}/facts", json=facts, headers=ADMIN)


async def fact_times(database: Database, order_id: str) -> dict[str, datetime | None]:
    async with database.sessions() as session:
        row = (
            await session.execute(
                text("SELECT backordered_at, shipped_at, captured_at FROM orders WHERE id = :id"),
                {"id": order_id},
            )
        ).one()
    return dict(row._mapping)


def corrections(order: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in order["timeline"] if e["type"] == "StatusCorrected"]

"""The sources of truth over HTTP: every service's internal read API, page by page.

    sources = HttpSources(dependencies, page_size=1000, timeout=30.0)
    reading = await sources.read(Window(since, until))   # -> Reading(snapshot, rows, pages)

docs/reconciliation.md is the contract: `GET /internal/v1/<rows>?since&until&limit&cursor`
answering `{"items": [...], "next_cursor": ...}`. The six feeds are read concurrently, each
page after the previous one; a page is an idempotent GET, so the dependency retries it.
Anything short of every page of every feed is SourceUnavailable: judging drift on half the
facts would invent findings.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from shop_http import Budget, Dependency, DependencyError

from reconciliation.domain.errors import SourceUnavailable
from reconciliation.domain.findings import Window
from reconciliation.domain.sources import (
    AuthorizationRecord,
    BackorderRecord,
    NotificationRecord,
    OrderRecord,
    Reading,
    ReservationRecord,
    ShipmentRecord,
    Snapshot,
)

Item = Mapping[str, Any]


def _word(value: Any) -> str:
    """One shared copy of a string that recurs across rows: an order id is in up to six
    feeds and a status in every row, and the JSON parser makes a new string each time (a
    run over 100,000 orders holds less than half the memory with these shared)."""
    return sys.intern(value)


def _maybe_word(value: Any) -> str | None:
    return None if value is None else _word(value)


def _at(value: Any) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f"{value!r} has no UTC offset")
    return moment


def _maybe_at(value: Any) -> datetime | None:
    return None if value is None else _at(value)


def _order(i: Item) -> OrderRecord:
    total = i.get("total")
    return OrderRecord(
        order_id=_word(i["order_id"]),
        status=_word(i["status"]),
        fulfillment_status=_word(i["fulfillment_status"]),
        payment_status=_word(i["payment_status"]),
        notification_status=_word(i["notification_status"]),
        reservation_id=i.get("reservation_id"),
        authorization_id=i.get("authorization_id"),
        created_at=_at(i["created_at"]),
        updated_at=_at(i.get("updated_at") or i["created_at"]),
        customer_id=_maybe_word(i.get("customer_id")),
        customer_email=i.get("customer_email"),
        total_amount=None if total is None else int(total["amount"]),
        total_currency=None if total is None else _word(total["currency"]),
    )


def _reservation(i: Item) -> ReservationRecord:
    return ReservationRecord(
        reservation_id=i["reservation_id"],
        order_id=_word(i["order_id"]),
        status=_word(i["status"]),
        created_at=_at(i["created_at"]),
        committed_at=_maybe_at(i.get("committed_at")),
        released_at=_maybe_at(i.get("released_at")),
    )


def _authorization(i: Item) -> AuthorizationRecord:
    amount = i["amount"]
    return AuthorizationRecord(
        authorization_id=i["authorization_id"],
        order_id=_word(i["order_id"]),
        status=_word(i["status"]),
        amount=int(amount["amount"]),
        currency=_word(amount["currency"]),
        created_at=_at(i["created_at"]),
        captured_at=_maybe_at(i.get("captured_at")),
        voided_at=_maybe_at(i.get("voided_at")),
    )


def _shipment(i: Item) -> ShipmentRecord:
    return ShipmentRecord(
        shipment_id=i["shipment_id"],
        order_id=_word(i["order_id"]),
        status=_word(i["status"]),
        warehouse_id=_word(i.get("warehouse_id") or ""),
        created_at=_at(i["created_at"]),
    )


def _backorder(i: Item) -> BackorderRecord:
    return BackorderRecord(
        backorder_id=i["backorder_id"],
        order_id=_word(i["order_id"]),
        status=_word(i["status"]),
        created_at=_at(i["created_at"]),
    )


def _notification(i: Item) -> NotificationRecord:
    return NotificationRecord(
        notification_id=i["notification_id"],
        order_id=_word(i["order_id"]),
        kind=_word(i["kind"]),
        status=_word(i["status"]),
        created_at=_at(i["created_at"]),
    )


@dataclass(frozen=True)
class Feed:
    name: str
    service: str
    path: str
    parse: Callable[[Item], Any]


FEEDS: Sequence[Feed] = (
    Feed("orders", "checkout", "/internal/v1/orders", _order),
    Feed("reservations", "inventory", "/internal/v1/reservations", _reservation),
    Feed("authorizations", "payment", "/internal/v1/authorizations", _authorization),
    Feed("shipments", "fulfillment", "/internal/v1/shipments", _shipment),
    Feed("backorders", "fulfillment", "/internal/v1/backorders", _backorder),
    Feed("notifications", "communications", "/internal/v1/notifications", _notification),
)
SERVICES = tuple(sorted({feed.service for feed in FEEDS}))


class HttpSources:
    def __init__(
        self,
        dependencies: Mapping[str, Dependency],
        *,
        page_size: int = 1000,
        timeout: float = 30.0,
    ) -> None:
        self.dependencies = dependencies
        self.page_size = page_size
        self.timeout = timeout

    async def read(self, window: Window) -> Reading:
        try:
            async with asyncio.TaskGroup() as group:
                tasks = {feed.name: group.create_task(self._read(feed, window)) for feed in FEEDS}
        except ExceptionGroup as failures:
            raise _first_failure(failures) from None
        feeds = {name: task.result() for name, task in tasks.items()}
        snapshot = Snapshot.of(**{name: items for name, (items, _) in feeds.items()})
        return Reading(
            snapshot=snapshot,
            rows={name: len(items) for name, (items, _) in feeds.items()},
            pages=sum(pages for _, pages in feeds.values()),
        )

    async def _read(self, feed: Feed, window: Window) -> tuple[list[Any], int]:
        query = {
            "since": window.since.astimezone(UTC).isoformat(),
            "until": window.until.astimezone(UTC).isoformat(),
            "limit": str(self.page_size),
        }
        items: list[Any] = []
        cursors: set[str] = set()
        cursor: str | None = None
        pages = 0
        while True:
            page = await self._page(feed, query if cursor is None else {**query, "cursor": cursor})
            pages += 1
            try:
                items.extend(feed.parse(item) for item in page["items"])
                cursor = page.get("next_cursor")
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise SourceUnavailable(
                    feed.service, f"{feed.path}: malformed item ({type(exc).__name__}: {exc})"
                ) from None
            if cursor is None:
                return items, pages
            if cursor in cursors:
                # A server that hands back a cursor twice would page forever.
                raise SourceUnavailable(feed.service, f"{feed.path}: cursor {cursor!r} repeated")
            cursors.add(cursor)

    async def _page(self, feed: Feed, query: Mapping[str, str]) -> Any:
        dependency = self.dependencies[feed.service]
        try:
            response = await dependency.request(
                "GET",
                f"{feed.path}?{urlencode(query)}",
                budget=Budget(self.timeout),
                idempotent=True,
            )
        except DependencyError as exc:
            raise SourceUnavailable(feed.service, f"GET {feed.path}: {exc}") from None
        if response.status_code != 200:
            raise SourceUnavailable(
                feed.service,
                f"GET {feed.path} answered {response.status_code}: {_problem(response.text)}",
            )
        try:
            return response.json()
        except ValueError:
            raise SourceUnavailable(feed.service, f"GET {feed.path}: not JSON") from None


def _problem(text: str) -> str:
    return text[:300]


def _first_failure(group: BaseExceptionGroup[BaseException]) -> BaseException:
    for failure in group.exceptions:
        if isinstance(failure, BaseExceptionGroup):
            return _first_failure(failure)
        return failure
    return group

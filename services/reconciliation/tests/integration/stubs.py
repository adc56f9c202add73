"""The six other services, as small HTTP stubs of exactly docs/reconciliation.md.

    stubs = ShopStubs()
    stubs.orders.append(order_row("ord_1", "CONFIRMED", at=ago(600)))
    async with serve(stubs) as urls:          # {"checkout": "http://127.0.0.1:41234", ...}
        ...
    stubs.calls                                # every repair command received, in order

Reads page their rows by creation time ([since, until), `limit`, an opaque cursor) and
answer `{"items", "next_cursor"}`; repairs change the stub's state the way the owning
service would (idempotently), or refuse with a problem where the owner would.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from shop_auth import InvalidToken, dev_key, verify
from shop_servicekit import utc_now
from shop_testing.eventually import eventually

from .stub_rows import Row, notification_row

# The stubs admit what the real services admit: reconciliation's token for that service.
RECONCILIATION_KEY = {"reconciliation": dev_key("reconciliation").public_key()}


@dataclass(frozen=True)
class Call:
    service: str
    path: str
    body: Any


@dataclass
class ShopStubs:
    orders: list[Row] = field(default_factory=list)
    reservations: list[Row] = field(default_factory=list)
    authorizations: list[Row] = field(default_factory=list)
    shipments: list[Row] = field(default_factory=list)
    backorders: list[Row] = field(default_factory=list)
    notifications: list[Row] = field(default_factory=list)
    returns: list[Row] = field(default_factory=list)
    refunds: list[Row] = field(default_factory=list)
    restocks: list[Row] = field(default_factory=list)
    # Orders communications knows the recipient of (beyond those it has notified):
    # learnt from a resend that named one.
    recipients: dict[str, Row] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    reads: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    unavailable: set[str] = field(default_factory=set)  # services answering 503
    read_gate: asyncio.Event | None = None  # when set, reads wait for it

    def add(self, rows: dict[str, list[Row]]) -> None:
        for name, more in rows.items():
            getattr(self, name).extend(more)

    def of(self, rows: str, order_id: str) -> list[Row]:
        return [r for r in getattr(self, rows) if r["order_id"] == order_id]

    def repairs(self) -> list[tuple[str, str]]:
        return [(c.service, c.path) for c in self.calls]


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _iso_row(row: Row) -> Row:
    return {k: _iso(v) for k, v in row.items()}


def _problem(status: int, slug: str, detail: str = "") -> JSONResponse:
    return JSONResponse(
        {
            "type": f"https://shop.example/problems/{slug}",
            "title": slug,
            "status": status,
            "detail": detail,
        },
        status_code=status,
        media_type="application/problem+json",
    )


def service_app(stubs: ShopStubs, service: str) -> FastAPI:
    app = FastAPI()

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Any]) -> Any:
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        try:
            verify(token, audience=service, keys=RECONCILIATION_KEY, issuers=RECONCILIATION_KEY)
        except InvalidToken:
            return _problem(401, "unauthorized")
        if service in stubs.unavailable:
            return _problem(503, "dependency-unavailable")
        return await call_next(request)

    def feed(path: str, rows: str, key: str) -> None:
        @app.get(path)
        async def read(request: Request) -> dict[str, Any]:
            query = dict(request.query_params)
            stubs.reads.append((path, query))
            if stubs.read_gate is not None:
                await stubs.read_gate.wait()
            since = datetime.fromisoformat(query["since"])
            until = datetime.fromisoformat(query["until"])
            limit = int(query.get("limit", "500"))
            start = int(query.get("cursor") or 0)
            matching = sorted(
                (r for r in getattr(stubs, rows) if since <= r["created_at"] < until),
                key=lambda r: (r["created_at"], r[key]),
            )
            page = matching[start : start + limit]
            more = start + limit < len(matching)
            return {
                "items": [_iso_row(r) for r in page],
                "next_cursor": str(start + limit) if more else None,
            }

        read.__name__ = f"read_{rows}"

    def record(request: Request, body: Any = None) -> None:
        stubs.calls.append(Call(service, request.url.path, body))

    if service == "checkout":
        feed("/internal/v1/orders", "orders", "order_id")

        @app.post("/internal/v1/orders/{order_id}/republish")
        async def republish(order_id: str, request: Request) -> Any:
            record(request)
            if not stubs.of("orders", order_id):
                return _problem(404, "order-not-found")
            return JSONResponse(
                {"order_id": order_id, "event_id": f"evt_{order_id}", "requeued": True},
                status_code=202,
            )

        @app.post("/internal/v1/orders/{order_id}/facts")
        async def facts(order_id: str, request: Request) -> Any:
            body = await request.json()
            record(request, body)
            for row in stubs.of("orders", order_id):
                _apply_facts(row, body)
            return {"order_id": order_id}

    if service == "inventory":
        feed("/internal/v1/reservations", "reservations", "reservation_id")
        feed("/internal/v1/restocks", "restocks", "return_id")

        @app.post("/internal/v1/restocks")
        async def restock(request: Request) -> Any:
            body = await request.json()
            record(request, body)
            done = any(r["return_id"] == body["return_id"] for r in stubs.restocks)
            if not done:
                stubs.restocks.append(
                    {
                        "return_id": body["return_id"],
                        "order_id": body["order_id"],
                        "lines": body["lines"],
                        "created_at": utc_now(),
                    }
                )
            return {"return_id": body["return_id"], "restocked_now": not done}

        @app.post("/v1/reservations/by-order/{order_id}/release")
        async def release(order_id: str, request: Request) -> Any:
            record(request)
            return _transition(
                stubs.of("reservations", order_id), "HELD", "RELEASED", "released_at"
            )

        @app.post("/internal/v1/reservations/by-order/{order_id}/commit")
        async def commit(order_id: str, request: Request) -> Any:
            record(request)
            return _transition(
                stubs.of("reservations", order_id), "HELD", "COMMITTED", "committed_at"
            )

    if service == "payment":
        feed("/internal/v1/authorizations", "authorizations", "authorization_id")
        feed("/internal/v1/refunds", "refunds", "refund_id")

        @app.post("/internal/v1/refunds")
        async def refund(request: Request) -> Any:
            body = await request.json()
            record(request, body)
            found = [r for r in stubs.refunds if r["return_id"] == body["return_id"]]
            if not found:
                found = [
                    {
                        "refund_id": f"rfd_{body['return_id']}",
                        "order_id": body["order_id"],
                        "return_id": body["return_id"],
                        "amount": {"amount": body["amount"], "currency": "EUR"},
                        "created_at": utc_now(),
                    }
                ]
                stubs.refunds.extend(found)
            return _iso_row(found[0])

        @app.post("/v1/authorizations/by-order/{order_id}/void")
        async def void(order_id: str, request: Request) -> Any:
            record(request)
            return _transition(
                stubs.of("authorizations", order_id), "AUTHORIZED", "VOIDED", "voided_at"
            )

        @app.post("/internal/v1/authorizations/by-order/{order_id}/capture")
        async def capture(order_id: str, request: Request) -> Any:
            record(request)
            return _transition(
                stubs.of("authorizations", order_id), "AUTHORIZED", "CAPTURED", "captured_at"
            )

    if service == "fulfillment":
        feed("/internal/v1/shipments", "shipments", "shipment_id")
        feed("/internal/v1/backorders", "backorders", "backorder_id")

    if service == "returns":
        feed("/internal/v1/returns", "returns", "return_id")

    if service == "communications":
        feed("/internal/v1/notifications", "notifications", "notification_id")

        @app.post("/internal/v1/notifications/resend")
        async def resend(request: Request) -> Any:
            body = await request.json()
            record(request, body)
            order_id, kind = body["order_id"], body["kind"]
            # Communications writes to the recipient it learnt (an order it has notified
            # saw OrderConfirmed), else to the one given, which it keeps; else it cannot.
            known = bool(stubs.of("notifications", order_id)) or order_id in stubs.recipients
            if not known and body.get("recipient") is None:
                return _problem(409, "recipient-unknown", f"no recipient for {order_id}")
            if not known:
                stubs.recipients[order_id] = body["recipient"]
            sent = [
                n
                for n in stubs.of("notifications", order_id)
                if n["kind"] == kind and n["status"] == "SENT"
            ]
            if sent:
                return JSONResponse(_iso_row(sent[0]), status_code=200)
            row = notification_row(order_id, kind, at=utc_now())
            stubs.notifications.append(row)
            return JSONResponse(_iso_row(row), status_code=201)

    return app


def _transition(rows: list[Row], source: str, target: str, stamp: str) -> Any:
    """The owner's idempotent transition: done again is fine, from elsewhere is a 409."""
    if not rows:
        return _problem(404, "not-found", "nothing for this order")
    for row in rows:
        if row["status"] == source:
            row["status"] = target
            row[stamp] = utc_now()
        elif row["status"] != target:
            return _problem(409, f"not-{source.lower()}", f"it is {row['status']}")
    return {"status": target}


def _apply_facts(row: Row, facts: dict[str, bool]) -> None:
    """Checkout's statuses from posted facts (known facts are never taken back)."""
    if facts.get("dispatched"):
        row["fulfillment_status"] = "DISPATCHED"
    elif facts.get("shipped"):
        row["fulfillment_status"] = "SHIPPED"
    elif facts.get("backordered") and row["fulfillment_status"] == "PENDING":
        row["fulfillment_status"] = "BACKORDERED"
    if facts.get("captured"):
        row["payment_status"] = "CAPTURED"
    elif facts.get("voided"):
        row["payment_status"] = "VOIDED"
    if facts.get("notified"):
        row["notification_status"] = "NOTIFIED"
    shipped = row["fulfillment_status"] in ("SHIPPED", "DISPATCHED")
    if shipped:
        row["status"] = "COMPLETED" if row["payment_status"] == "CAPTURED" else "SHIPPED"
    elif row["fulfillment_status"] == "BACKORDERED":
        row["status"] = "BACKORDERED"
    row["updated_at"] = utc_now()


SERVICES = ("checkout", "inventory", "payment", "fulfillment", "communications", "returns")


@contextlib.asynccontextmanager
async def serve(stubs: ShopStubs) -> AsyncIterator[dict[str, str]]:
    """Each service's stub on its own loopback port, in this event loop, until exit."""
    servers: dict[str, uvicorn.Server] = {}
    urls: dict[str, str] = {}
    tasks = []
    with contextlib.ExitStack() as sockets:
        for service in SERVICES:
            # Bound here and handed to uvicorn: a port picked first and bound later can be
            # taken by another process in between (it happened, with a CI run beside others).
            sock = sockets.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            sock.bind(("127.0.0.1", 0))
            urls[service] = f"http://127.0.0.1:{sock.getsockname()[1]}"
            config = uvicorn.Config(
                service_app(stubs, service), log_config=None, access_log=False, lifespan="off"
            )
            servers[service] = uvicorn.Server(config)
            tasks.append(asyncio.create_task(servers[service].serve(sockets=[sock])))
        try:
            await eventually(lambda: all(s.started for s in servers.values()))
            yield urls
        finally:
            for server in servers.values():
                server.should_exit = True
            await asyncio.gather(*tasks, return_exceptions=True)

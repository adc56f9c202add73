"""How long a reconciliation run takes over 1,000, 10,000 and 100,000 orders.

    .venv/bin/python services/reconciliation/bench/bench_reconcile.py
    .venv/bin/python services/reconciliation/bench/bench_reconcile.py --sizes 1000 --page-size 500

Not a test. For each size, a fresh process runs the real job (HttpSources and HttpRepairs
over shop_http, the drift rules, the run bookkeeping; runs are kept in memory, so no
database is needed) against a stub server on loopback that serves the five internal read
APIs of docs/reconciliation.md for N consistent orders plus a few drifts (1 in 1000 orders
each: an uncommitted reservation, an orphan checkout, a missing notification). The stub
runs in its own process with every page pre-rendered, so the figures are the job's own
cost: fetching, paging, parsing and comparing. Each size runs in its own process so that
its peak RSS is its own.

Prints: orders, pages fetched, seconds (of which reading), orders/s, findings, peak RSS.
Bounded: loopback only, every wait has a time limit, the stub is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

DRIFT_EVERY = 1000
EXPECTED_PER_DRIFT_BLOCK = 4  # reservation-not-committed, orphan x2, notification-missing
FEEDS = {
    "/internal/v1/orders": "orders",
    "/internal/v1/reservations": "reservations",
    "/internal/v1/authorizations": "authorizations",
    "/internal/v1/shipments": "shipments",
    "/internal/v1/backorders": "backorders",
    "/internal/v1/notifications": "notifications",
    # Returns' feeds: no order here is returned, so they answer an empty page.
    "/internal/v1/returns": "returns",
    "/internal/v1/refunds": "refunds",
    "/internal/v1/restocks": "restocks",
}


# -- the stub server (its own process) ----------------------------------------------------


def generate(n: int, now: datetime) -> dict[str, list[dict[str, Any]]]:
    """N orders over the last 20 hours, every service agreeing, except the drifts."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in FEEDS.values()}
    start = now - timedelta(hours=20)
    step = timedelta(hours=19) / max(n, 1)
    for i in range(n):
        at = start + step * i
        oid = f"ord_{i:07d}"
        iso = at.isoformat()
        later = (at + timedelta(seconds=5)).isoformat()
        drift = i % DRIFT_EVERY
        if drift == 2:  # a checkout that died after reserving and authorizing
            rows["reservations"].append(_res(oid, "HELD", iso))
            rows["authorizations"].append(_auth(oid, "AUTHORIZED", iso))
            continue
        backordered = i % 10 == 5
        rows["orders"].append(
            {
                "order_id": oid,
                "status": "BACKORDERED" if backordered else "COMPLETED",
                "fulfillment_status": "BACKORDERED" if backordered else "SHIPPED",
                "payment_status": "AUTHORIZED" if backordered else "CAPTURED",
                "notification_status": "NOTIFIED",
                "reservation_id": f"res_{oid}",
                "authorization_id": f"auth_{oid}",
                "customer_id": "cus_1",
                "customer_email": "ada@example.com",
                "total": {"amount": 2856, "currency": "EUR"},
                "created_at": iso,
                "updated_at": later,
            }
        )
        committed = "HELD" if backordered or drift == 1 else "COMMITTED"
        rows["reservations"].append(_res(oid, committed, iso))
        rows["authorizations"].append(_auth(oid, "AUTHORIZED" if backordered else "CAPTURED", iso))
        rows["notifications"].append(_ntf(oid, "ORDER_CONFIRMED", later))
        if backordered:
            rows["backorders"].append(
                {
                    "backorder_id": f"bo_{oid}",
                    "order_id": oid,
                    "status": "OPEN",
                    "created_at": later,
                }
            )
            rows["notifications"].append(_ntf(oid, "BACKORDER_DECLARED", later))
        else:
            rows["shipments"].append(
                {
                    "shipment_id": f"shp_{oid}",
                    "order_id": oid,
                    "status": "CREATED",
                    "warehouse_id": "wh_1",
                    "created_at": later,
                }
            )
            if drift != 3:
                rows["notifications"].append(_ntf(oid, "SHIPMENT_CREATED", later))
    return rows


def _res(oid: str, status: str, at: str) -> dict[str, Any]:
    return {
        "reservation_id": f"res_{oid}",
        "order_id": oid,
        "status": status,
        "created_at": at,
        "committed_at": at if status == "COMMITTED" else None,
        "released_at": None,
    }


def _auth(oid: str, status: str, at: str) -> dict[str, Any]:
    return {
        "authorization_id": f"auth_{oid}",
        "order_id": oid,
        "status": status,
        "amount": {"amount": 2856, "currency": "EUR"},
        "created_at": at,
        "captured_at": at if status == "CAPTURED" else None,
        "voided_at": None,
    }


def _ntf(oid: str, kind: str, at: str) -> dict[str, Any]:
    return {
        "notification_id": f"ntf_{oid}_{kind}",
        "order_id": oid,
        "kind": kind,
        "status": "SENT",
        "created_at": at,
    }


def pages_of(items: list[dict[str, Any]], size: int) -> list[bytes]:
    chunks = [items[i : i + size] for i in range(0, len(items), size)] or [[]]
    return [
        json.dumps(
            {"items": chunk, "next_cursor": str(k + 1) if k + 1 < len(chunks) else None}
        ).encode()
        for k, chunk in enumerate(chunks)
    ]


def serve(n: int, port: int, page_size: int) -> None:
    import uvicorn

    rows = generate(n, datetime.now(UTC))
    pages = {path: pages_of(rows[name], page_size) for path, name in FEEDS.items()}
    json_headers = [(b"content-type", b"application/json")]

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        body = b"{}"
        status = 200
        if scope["method"] == "GET" and scope["path"] in pages:
            query = parse_qs(scope["query_string"].decode())
            index = int(query.get("cursor", ["0"])[0])
            body = pages[scope["path"]][index]
        elif scope["method"] == "GET" and scope["path"] == "/ready":
            body = b'{"ready": true}'
        elif scope["method"] != "POST":  # repairs are accepted; anything else is unknown
            status = 404
        await send({"type": "http.response.start", "status": status, "headers": json_headers})
        await send({"type": "http.response.body", "body": body})

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


# -- one measured run (its own process) ---------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_ready(port: int, within: float) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                sock.sendall(b"GET /ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if b"ready" in sock.recv(4096):
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"stub not ready on port {port} within {within}s")


async def measure(n: int, port: int, page_size: int) -> dict[str, Any]:
    import httpx
    from prometheus_client import CollectorRegistry
    from reconciliation.adapters.memory import InMemoryRunStore, LocalRunLock, NoMetrics
    from reconciliation.adapters.repairs import HttpRepairs
    from reconciliation.adapters.sources import SERVICES, HttpSources
    from reconciliation.application.reconcile import Job, reconcile
    from reconciliation.bootstrap import policy_of
    from reconciliation.domain.findings import Window
    from reconciliation.domain.runs import Trigger
    from reconciliation.domain.sources import Reading
    from reconciliation.settings import ReconciliationSettings
    from shop_http import Dependency, DependencyMetrics
    from shop_servicekit import utc_now

    metrics = DependencyMetrics(CollectorRegistry())
    url = f"http://127.0.0.1:{port}"
    dependencies = {
        s: Dependency(
            s,
            httpx.AsyncClient(base_url=url),
            fail_max=5,
            reset_timeout=10,
            retries=2,
            metrics=metrics,
        )
        for s in SERVICES
    }
    sources = HttpSources(dependencies, page_size=page_size, timeout=60)
    read_seconds = 0.0

    class TimedSources:
        async def read(self, window: Window) -> Reading:
            nonlocal read_seconds
            began = time.perf_counter()
            reading = await sources.read(window)
            read_seconds = time.perf_counter() - began
            return reading

    job = Job(
        sources=TimedSources(),
        repairs=HttpRepairs(dependencies),
        runs=InMemoryRunStore(),
        lock=LocalRunLock(),
        observer=NoMetrics(),
        policy=policy_of(ReconciliationSettings()),
        clock=utc_now,
    )
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    began = time.perf_counter()
    run = await reconcile(
        job, since=datetime.now(UTC) - timedelta(hours=24), dry_run=False, trigger=Trigger.CLI
    )
    seconds = time.perf_counter() - began
    for dependency in dependencies.values():
        await dependency.aclose()
    assert run.status.value == "SUCCEEDED", run.error
    return {
        "orders": n,
        "pages": run.summary["pages"],
        "seconds": seconds,
        "read_seconds": read_seconds,
        "findings": len(run.findings),
        "expected_findings": (n // DRIFT_EVERY + (1 if n % DRIFT_EVERY > 3 else 0))
        * EXPECTED_PER_DRIFT_BLOCK,
        "rss_before_mb": rss_before / 1024,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def one(n: int, page_size: int) -> dict[str, Any]:
    port = free_port()
    stub = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--serve",
            str(n),
            "--port",
            str(port),
            "--page-size",
            str(page_size),
        ],
    )
    try:
        wait_ready(port, within=120)
        return asyncio.run(asyncio.wait_for(measure(n, port, page_size), timeout=600))
    finally:
        stub.terminate()
        try:
            stub.wait(timeout=10)
        except subprocess.TimeoutExpired:
            stub.kill()
            stub.wait()


# -- the table ----------------------------------------------------------------------------


def rows_of(sizes: list[int], page_size: int) -> Iterator[dict[str, Any]]:
    for n in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(n), "--page-size", str(page_size)],
            capture_output=True,
            text=True,
            timeout=900,
            check=True,
        )
        yield json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve is not None:
        serve(args.serve, args.port, args.page_size)
        return
    if args.one is not None:
        print(json.dumps(one(args.one, args.page_size)))
        return

    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"reconciliation run over N orders, page size {args.page_size}, stub on loopback")
    header = f"{'orders':>8} {'pages':>6} {'seconds':>8} {'reading':>8} {'orders/s':>9} "
    print(header + f"{'findings':>9} {'peak RSS MB':>12}")
    for row in rows_of(sizes, args.page_size):
        ok = (
            ""
            if row["findings"] == row["expected_findings"]
            else " (expected {})".format(row["expected_findings"])
        )
        print(
            f"{row['orders']:>8} {row['pages']:>6} {row['seconds']:>8.2f} "
            f"{row['read_seconds']:>8.2f} {row['orders'] / row['seconds']:>9.0f} "
            f"{row['findings']:>9}{ok} {row['peak_rss_mb']:>12.0f}"
        )


if __name__ == "__main__":
    main()

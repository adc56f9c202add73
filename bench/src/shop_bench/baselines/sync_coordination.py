"""The accidental-coordination baseline: a checkout that waits for fulfillment and
communications before it answers.

    python -m shop_bench.baselines.sync_coordination --port 40010 \
        --checkout http://127.0.0.1:8000 --fulfillment http://127.0.0.1:8004 \
        --communications http://127.0.0.1:8005

POST /v1/checkouts forwards the body to the real checkout, then asks fulfillment for the
order's shipments and communications for its notifications, synchronously, and answers
only then (201 when all three answered, 502 otherwise). It is the design the shop avoids
by publishing events: P1 compares how each one's p99 suffers when fulfillment is slow and
communications is down.
"""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import httpx
from fastapi import FastAPI, Request, Response
from shop_auth import ShopAuth
from shop_testing.ports import free_port

from shop_bench.baselines.processes import app_processes, serve

MODULE = "shop_bench.baselines.sync_coordination"
TIMEOUT_SECONDS = 10.0


def sync_app(checkout: str, fulfillment: str, communications: str) -> FastAPI:
    clients: dict[str, httpx.AsyncClient] = {}

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        urls = {"checkout": checkout, "fulfillment": fulfillment, "communications": communications}
        async with httpx.AsyncClient(timeout=TIMEOUT_SECONDS, auth=ShopAuth(urls)) as client:
            clients["http"] = client
            yield

    app = FastAPI(lifespan=lifespan)

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/v1/checkouts")
    async def checkout_and_wait(body: dict[str, Any], request: Request) -> Response:
        http = clients["http"]
        key = request.headers.get("idempotency-key", "")
        placed = await http.post(
            f"{checkout}/v1/checkouts", json=body, headers={"Idempotency-Key": key}
        )
        if placed.status_code != 201:
            return Response(placed.content, placed.status_code, media_type="application/json")
        order_id = placed.json()["order_id"]
        try:
            await http.get(f"{fulfillment}/v1/shipments", params={"order_id": order_id})
            await http.get(f"{communications}/v1/notifications", params={"order_id": order_id})
        except httpx.HTTPError:
            return Response(b'{"title": "a downstream call failed"}', 502,
                            media_type="application/json")  # fmt: skip
        return Response(placed.content, 201, media_type="application/json")

    return app


@contextmanager
def sync_coordination(urls: Mapping[str, str]) -> Iterator[str]:
    port = free_port()
    args = ["--port", str(port), "--checkout", urls["checkout"]]
    args += ["--fulfillment", urls["fulfillment"], "--communications", urls["communications"]]
    with app_processes(MODULE, [(port, args)]):
        yield f"http://127.0.0.1:{port}"


def main() -> None:
    parser = argparse.ArgumentParser(description="checkout that waits for everyone")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--checkout", required=True)
    parser.add_argument("--fulfillment", required=True)
    parser.add_argument("--communications", required=True)
    args = parser.parse_args()
    serve(sync_app(args.checkout, args.fulfillment, args.communications), args.port)


if __name__ == "__main__":
    main()

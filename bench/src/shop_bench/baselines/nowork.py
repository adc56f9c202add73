"""The no-work chain: four FastAPI apps with a checkout's hops and none of its work.

    python -m shop_bench.baselines.nowork leaf --port 40001
    python -m shop_bench.baselines.nowork front --port 40000 --pricing http://127.0.0.1:40001 ...

The front answers POST /v1/checkouts by calling pricing and inventory in parallel, then
payment, over httpx (as checkout's clients do), and returns 201 with a made-up order id.
No database, no broker, no middleware: what remains is the cost of the hops themselves,
served by uvicorn the way the services are. It shares the machine's cores with the stack.
"""

from __future__ import annotations

import argparse
import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import httpx
from fastapi import FastAPI, HTTPException
from shop_testing.ports import free_ports

from shop_bench.baselines.processes import app_processes, serve

MODULE = "shop_bench.baselines.nowork"


def leaf_app() -> FastAPI:
    app = FastAPI()

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/v1/{what}", status_code=201)
    async def create(what: str, body: dict[str, Any]) -> dict[str, Any]:
        return {"id": f"{what}_{uuid.uuid4().hex[:12]}", "items": body.get("items", [])}

    return app


def front_app(pricing: str, inventory: str, payment: str) -> FastAPI:
    clients: dict[str, httpx.AsyncClient] = {}

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async with httpx.AsyncClient(timeout=2) as client:
            clients["http"] = client
            yield

    app = FastAPI(lifespan=lifespan)

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/v1/checkouts", status_code=201)
    async def checkout(body: dict[str, Any]) -> dict[str, Any]:
        http = clients["http"]
        try:
            quote, reservation = await asyncio.gather(
                http.post(f"{pricing}/v1/quotes", json={"items": body.get("items", [])}),
                http.post(f"{inventory}/v1/reservations", json={"items": body.get("items", [])}),
            )
            authorization = await http.post(f"{payment}/v1/authorizations", json={"amount": 1})
        except httpx.HTTPError as exc:  # a hop that timed out, as checkout answers it
            raise HTTPException(504, f"a hop failed: {type(exc).__name__}") from exc
        return {
            "order_id": f"ord_{uuid.uuid4().hex[:12]}",
            "quote": quote.json()["id"],
            "reservation": reservation.json()["id"],
            "authorization": authorization.json()["id"],
        }

    return app


@contextmanager
def no_work_chain() -> Iterator[tuple[str, list[int]]]:
    """(front URL, pids of the four processes), for as long as the block runs."""
    front, *leaf_ports = free_ports(4)
    leaves = dict(zip(("pricing", "inventory", "payment"), leaf_ports, strict=True))
    runs: list[tuple[int, list[str]]] = [(p, ["leaf", "--port", str(p)]) for p in leaves.values()]
    urls = [f"--{name}=http://127.0.0.1:{port}" for name, port in leaves.items()]
    runs.append((front, ["front", "--port", str(front), *urls]))
    with app_processes(MODULE, runs) as pids:
        yield f"http://127.0.0.1:{front}", pids


def main() -> None:
    parser = argparse.ArgumentParser(description="one app of the no-work chain")
    parser.add_argument("role", choices=("front", "leaf"))
    parser.add_argument("--port", type=int, required=True)
    for name in ("pricing", "inventory", "payment"):
        parser.add_argument(f"--{name}", default="")
    args = parser.parse_args()
    app = (
        leaf_app() if args.role == "leaf" else front_app(args.pricing, args.inventory, args.payment)
    )
    serve(app, args.port)


if __name__ == "__main__":
    main()

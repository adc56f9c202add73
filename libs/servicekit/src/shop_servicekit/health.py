"""Liveness and readiness.

    checks = {"database": db.ping, "broker": kafka_check(settings.kafka_bootstrap_servers)}
    app.include_router(health_router(checks))

`/health/live` says the process is up; `/health/ready` runs every check concurrently with a
deadline and answers 503 unless all pass, listing each check's status. A check is an async
callable that raises when its dependency is unusable and may return details to show (a
circuit breaker's state, say) without failing.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiokafka import AIOKafkaClient
from fastapi import APIRouter
from fastapi.responses import JSONResponse

ReadinessCheck = Callable[[], Awaitable[Mapping[str, Any] | None]]

CHECK_TIMEOUT_SECONDS = 2.0


def kafka_check(bootstrap_servers: str) -> ReadinessCheck:
    """A check that bootstraps a real Kafka client (metadata round trip), then closes it."""

    async def check() -> None:
        client = AIOKafkaClient(bootstrap_servers=bootstrap_servers, request_timeout_ms=1500)
        try:
            await client.bootstrap()
        finally:
            await client.close()

    return check


async def _run_check(check: ReadinessCheck) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
            details = await check()
    except Exception as exc:  # any failure means "not ready"; the reason is shown
        return {"status": "down", "error": f"{type(exc).__name__}: {exc}"[:300]}
    result: dict[str, Any] = {
        "status": "up",
        "latency_ms": round((time.perf_counter() - started) * 1000, 1),
    }
    if details:
        result.update(details)
    return result


async def readiness(checks: Mapping[str, ReadinessCheck]) -> tuple[bool, dict[str, Any]]:
    names = list(checks)
    results = await asyncio.gather(*(_run_check(checks[name]) for name in names))
    report = dict(zip(names, results, strict=True))
    return all(r["status"] == "up" for r in results), report


def health_router(checks: Mapping[str, ReadinessCheck]) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/health/live")
    async def live() -> dict[str, str]:
        return {"status": "live"}

    # 503 is the answer a load balancer reads: documented, so it is never "unexpected".
    readiness_body = {"application/json": {"schema": {"type": "object"}}}

    @router.get(
        "/health/ready",
        response_class=JSONResponse,
        responses={
            200: {"description": "Every check passed", "content": readiness_body},
            503: {"description": "A check failed: not ready", "content": readiness_body},
        },
    )
    async def ready() -> JSONResponse:
        ok, report = await readiness(checks)
        return JSONResponse(
            {"status": "ready" if ok else "unready", "checks": report},
            status_code=200 if ok else 503,
        )

    return router

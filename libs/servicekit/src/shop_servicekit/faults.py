"""Fault injection: added latency, a share of 500s, or refuse all.

    PUT /admin/faults {"latency_ms": 300, "error_rate": 0.5, "refuse": false}
    DELETE /admin/faults

Set at start from settings, changed live by the guarded admin routes. Health, metrics,
admin and console paths are never faulted, so a faulted service can still be observed
and healed.
"""

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field
from starlette.types import ASGIApp, Receive, Scope, Send

from shop_servicekit.problems import Problem, problem_response

# The operator console (/console) too: an operator heals a faulted service through it.
_NEVER_FAULTED = ("/health/", "/metrics", "/admin/", "/console")


@dataclass
class Faults:
    latency_ms: int = 0
    error_rate: float = 0.0
    refuse: bool = False


class FaultsBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    latency_ms: int = Field(default=0, ge=0, le=60_000)
    error_rate: float = Field(default=0.0, ge=0.0, le=1.0)
    refuse: bool = False


class FaultInjectionMiddleware:
    def __init__(self, app: ASGIApp, faults: Faults) -> None:
        self.app = app
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(_NEVER_FAULTED):
            await self.app(scope, receive, send)
            return
        faults = self.faults
        if faults.refuse:
            problem = Problem(503, "fault-injected", "Refused by fault injection")
            await problem_response(problem, scope["path"])(scope, receive, send)
            return
        if faults.latency_ms:
            await asyncio.sleep(faults.latency_ms / 1000)
        if faults.error_rate and random.random() < faults.error_rate:
            problem = Problem(500, "fault-injected", "Failed by fault injection")
            await problem_response(problem, scope["path"])(scope, receive, send)
            return
        await self.app(scope, receive, send)


def faults_router(faults: Faults, guard: Callable[..., Awaitable[object]]) -> APIRouter:
    router = APIRouter(prefix="/admin/faults", tags=["admin"], dependencies=[Depends(guard)])

    @router.get("")
    async def show() -> dict[str, object]:
        return asdict(faults)

    @router.put("")
    async def set_faults(body: FaultsBody) -> dict[str, object]:
        faults.latency_ms, faults.error_rate, faults.refuse = (
            body.latency_ms,
            body.error_rate,
            body.refuse,
        )
        return asdict(faults)

    @router.delete("")
    async def clear() -> dict[str, object]:
        faults.latency_ms, faults.error_rate, faults.refuse = 0, 0.0, False
        return asdict(faults)

    return router

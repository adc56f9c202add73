"""The console's pages: thin handlers from a click to a use case and back to a page.

Every page but the login form takes the console's guard (`access.ConsoleAccess`); every
state-changing action is a POST answered by a redirect (so a reload never repeats it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from shop_servicekit import Clock, Guard
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from reconciliation.application.console import DeadLetters, Fleet, order_journey
from reconciliation.application.coordination import find_stuck
from reconciliation.application.ports import RunStore, Sources
from reconciliation.application.reconcile import Job
from reconciliation.application.triggers import reconcile_between
from reconciliation.domain.coordination import Deadlines
from reconciliation.domain.errors import RunInProgress
from reconciliation.domain.operations import FaultSettings
from reconciliation.domain.runs import Trigger
from reconciliation.entrypoints.console.access import COOKIE, ConsoleAccess

TEMPLATES = Path(__file__).resolve().parent / "templates"
ORDER_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
SESSION_SECONDS = 8 * 3600
STUCK_SHOWN = 500  # the oldest first; past that the ops API pages (GET /v1/coordination/stuck)


@dataclass(frozen=True)
class ConsoleParts:
    sessions: async_sessionmaker[AsyncSession]
    deadlines: Deadlines
    clock: Clock
    job: Job
    records: RunStore
    sources: Sources
    dead_letters: DeadLetters
    fleet: Fleet
    groups: Sequence[str]  # the consumer groups whose dead letters are shown
    trace_url: str  # "{order_id}" in it is replaced
    dev_sign_in: bool  # ENVIRONMENT=local: a one-click operator sign-in
    secure_cookie: bool


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


async def _form(request: Request) -> dict[str, str]:
    body = await request.body()
    fields = parse_qs(body[:16_384].decode("utf-8", "replace"), keep_blank_values=True)
    return {name: values[0].strip() for name, values in fields.items()}


def console_router(parts: ConsoleParts, access: ConsoleAccess, public: Guard) -> APIRouter:
    templates = Jinja2Templates(directory=TEMPLATES)
    page_options: dict[str, Any] = {"include_in_schema": False, "response_class": HTMLResponse}
    router = APIRouter(prefix="/console", tags=["console"])
    guarded = [Depends(access)]

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        context.setdefault("notice", request.query_params.get("notice"))
        return templates.TemplateResponse(request, name, context, status_code=status)

    @router.get("/login", dependencies=[Depends(public)], **page_options)
    async def login_form(request: Request) -> Response:
        return page(request, "login.html", dev_sign_in=parts.dev_sign_in)

    @router.post("/login", dependencies=[Depends(public)], **page_options)
    async def login(request: Request) -> Response:
        form = await _form(request)
        token = form.get("token", "")
        admitted = (form.get("dev") == "1" and parts.dev_sign_in) or (
            bool(token) and access.operator_token_valid(token)
        )
        if not admitted:
            return page(
                request, "login.html", 401, dev_sign_in=parts.dev_sign_in,
                error="Not an operator token for reconciliation (or it expired)",
            )  # fmt: skip
        response = _see_other("/console")
        response.set_cookie(
            COOKIE, access.open_session(), max_age=SESSION_SECONDS, httponly=True,
            samesite="strict", secure=parts.secure_cookie, path="/console",
        )  # fmt: skip
        return response

    @router.post("/logout", dependencies=guarded, **page_options)
    async def logout() -> Response:
        response = _see_other("/console/login")
        response.delete_cookie(COOKIE, path="/console")
        return response

    @router.get("", dependencies=guarded, **page_options)
    async def overview(request: Request) -> Response:
        stuck = await find_stuck(
            parts.sessions, clock=parts.clock, deadlines=parts.deadlines, limit=STUCK_SHOWN
        )
        runs = await parts.records.latest(10)
        return page(request, "overview.html", stuck=stuck, runs=runs)

    @router.get("/orders", dependencies=guarded, **page_options)
    async def find_order(request: Request, order_id: str = "") -> Response:
        if not ORDER_ID.match(order_id.strip()):
            return _see_other("/console?notice=" + quote("Enter an order id (ord_...)"))
        return _see_other(f"/console/orders/{order_id.strip()}")

    @router.get("/orders/{order_id}", dependencies=guarded, **page_options)
    async def journey(request: Request, order_id: str) -> Response:
        if not ORDER_ID.match(order_id):
            return page(request, "error.html", 404, error="No such order id")
        found = await order_journey(
            parts.sessions, parts.sources, order_id, clock=parts.clock, deadlines=parts.deadlines
        )
        trace = parts.trace_url.replace("{order_id}", quote(order_id))
        return page(request, "journey.html", journey=found, trace_url=trace)

    @router.post("/runs", dependencies=guarded, **page_options)
    async def start_run(request: Request) -> Response:
        form = await _form(request)
        dry_run = form.get("mode") != "repair"
        try:
            run = await reconcile_between(
                parts.job, since=form.get("since") or "24h", until=None, dry_run=dry_run,
                trigger=Trigger.API,
            )  # fmt: skip
        except RunInProgress:
            return _see_other("/console?notice=" + quote("A run is already repairing; try again"))
        except ValueError as exc:  # an unreadable window
            return _see_other("/console?notice=" + quote(str(exc)[:200]))
        return _see_other(f"/console/runs/{run.id}")

    @router.get("/runs/{run_id}", dependencies=guarded, **page_options)
    async def run_page(request: Request, run_id: str) -> Response:
        run = await parts.records.get(run_id)
        if run is None:
            return page(request, "error.html", 404, error="No such reconciliation run")
        return page(request, "run.html", run=run)

    @router.get("/dead-letters", dependencies=guarded, **page_options)
    async def dead_letters(request: Request) -> Response:
        shelves, errors = [], {}
        for group in parts.groups:
            try:
                shelves.append(await parts.dead_letters.peek(group, limit=20))
            except Exception as exc:  # an unreachable broker is shown, not raised
                errors[group] = f"{type(exc).__name__}: {exc}"[:200]
        return page(request, "dead_letters.html", shelves=shelves, errors=errors)

    @router.post("/dead-letters/{group}/replay", dependencies=guarded, **page_options)
    async def replay(request: Request, group: str) -> Response:
        if group not in parts.groups:
            return page(request, "error.html", 404, error="No such consumer group")
        sent = await parts.dead_letters.replay(group)
        notice = f"Replayed {sent} dead letter(s) of {group} onto their topics"
        return _see_other("/console/dead-letters?notice=" + quote(notice))

    @router.get("/services", dependencies=guarded, **page_options)
    async def services(request: Request) -> Response:
        return page(request, "services.html", statuses=await parts.fleet.statuses())

    @router.post("/services/{service}/faults", dependencies=guarded, **page_options)
    async def faults(request: Request, service: str) -> Response:
        statuses = {s.service for s in await parts.fleet.statuses()}
        if service not in statuses:
            return page(request, "error.html", 404, error="No such service")
        form = await _form(request)
        try:
            if form.get("action") == "clear":
                await parts.fleet.clear_faults(service)
                notice = f"Faults cleared on {service}"
            else:
                wanted = _faults_of(form)
                await parts.fleet.set_faults(service, wanted)
                notice = f"Faults set on {service}: {wanted}"
        except ValueError as exc:
            notice = f"Not set: {exc}"
        except Exception as exc:  # the service refused or is down: say so on the page
            notice = f"{service} did not take it: {type(exc).__name__}"
        return _see_other("/console/services?notice=" + quote(notice))

    return router


def _faults_of(form: Mapping[str, str]) -> FaultSettings:
    latency = int(form.get("latency_ms") or 0)
    rate = float(form.get("error_rate") or 0)
    if not (0 <= latency <= 60_000 and 0.0 <= rate <= 1.0):
        raise ValueError("latency 0..60000 ms, error rate 0..1")
    return FaultSettings(latency, rate, form.get("refuse") == "on")

"""Thin routes over the reconciliation job: start a run, read a run, list the latest.

POST runs the job synchronously and answers 201 with the run and its findings (a run over
a day of orders takes well under a second to a few seconds; see bench/). A run that could
not read a source is still a recorded run: 201 with status FAILED and its error.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, ConfigDict, Field
from shop_servicekit import Problem

from reconciliation.application.ports import RunInProgress, RunStore
from reconciliation.application.reconcile import InvalidWindow, Job, reconcile
from reconciliation.domain.moments import InvalidMoment, moment
from reconciliation.domain.runs import Trigger
from reconciliation.entrypoints.report import RunList, RunOut, render_text


class RunRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # ISO 8601 with an offset, or a span back from now: "90s", "15m", "24h", "7d".
    since: str = Field(min_length=1, max_length=64)
    until: str | None = Field(default=None, min_length=1, max_length=64)
    dry_run: bool = False


def runs_router(
    job: Job,
    store: RunStore,
    *,
    admin: Callable[[Request], Awaitable[None]],
    now: Callable[[], datetime],
) -> APIRouter:
    router = APIRouter(prefix="/v1/reconciliation/runs", tags=["reconciliation"])

    @router.post("", status_code=201, dependencies=[Depends(admin)])
    async def start_run(body: RunRequest, response: Response) -> RunOut:
        at = now()
        try:
            since = moment(body.since, at)
            until = None if body.until is None else moment(body.until, at)
            run = await reconcile(
                job, since=since, until=until, dry_run=body.dry_run, trigger=Trigger.API
            )
        except (InvalidMoment, InvalidWindow) as exc:
            raise Problem(422, "invalid-window", "Invalid run window", detail=str(exc)) from None
        except RunInProgress:
            raise Problem(
                409,
                "run-in-progress",
                "A reconciliation run is already repairing",
                detail="Two runs never repair at once; try again when it has finished",
                headers={"Retry-After": "5"},
            ) from None
        response.headers["Location"] = f"/v1/reconciliation/runs/{run.id}"
        return RunOut.of(run)

    @router.get("")
    async def list_runs(limit: Annotated[int, Query(ge=1, le=100)] = 20) -> RunList:
        runs = await store.latest(limit)
        return RunList(runs=[RunOut.of(run, with_findings=False) for run in runs])

    @router.get("/{run_id}", response_model=RunOut)
    async def get_run(
        run_id: str, format: Literal["json", "text"] = "json"
    ) -> RunOut | PlainTextResponse:
        run = await store.get(run_id)
        if run is None:
            raise Problem(404, "run-not-found", "No such reconciliation run", run_id=run_id)
        if format == "text":
            return PlainTextResponse(render_text(run) + "\n")
        return RunOut.of(run)

    return router

"""Thin routes over the reconciliation job: start a run, read a run, list the latest.

POST runs the job synchronously and answers 201 with the run and its findings (a run over
a day of orders takes well under a second to a few seconds; see bench/). A run that could
not read a source is still a recorded run: 201 with status FAILED and its error.
Operators only (`guard`): runs repair, and their findings describe customers' orders.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import PlainTextResponse
from shop_contracts.saga_steps import RECONCILE
from shop_contracts.sagas import route_tag
from shop_servicekit import Guard, Problem, problem_responses

from reconciliation.application.ports import RunStore
from reconciliation.application.reconcile import InvalidWindow, Job
from reconciliation.application.triggers import reconcile_between
from reconciliation.domain.errors import RunInProgress
from reconciliation.domain.moments import InvalidMoment
from reconciliation.domain.runs import Trigger
from reconciliation.entrypoints.api.schemas import RunBody
from reconciliation.entrypoints.report import RunListView, RunView, render_text


def runs_router(
    job: Job,
    records: RunStore,
    *,
    guard: Guard,
) -> APIRouter:
    router = APIRouter(
        prefix="/v1/reconciliation/runs", tags=["reconciliation"], dependencies=[Depends(guard)]
    )

    @router.post(
        "",
        status_code=201,
        openapi_extra=route_tag(RECONCILE),
        responses=problem_responses(401, 409, retry_after=(409,)),
    )
    async def post_run(body: RunBody, response: Response) -> RunView:
        try:
            run = await reconcile_between(
                job,
                since=body.since,
                until=body.until,
                dry_run=body.dry_run,
                trigger=Trigger.API,
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
        return RunView.of(run)

    @router.get("")
    async def get_runs(limit: Annotated[int, Query(ge=1, le=100)] = 20) -> RunListView:
        runs = await records.latest(limit)
        return RunListView(runs=[RunView.of(run, with_findings=False) for run in runs])

    @router.get("/{run_id}", response_model=RunView, responses=problem_responses(404))
    async def get_run(
        run_id: str, format: Literal["json", "text"] = "json"
    ) -> RunView | PlainTextResponse:
        run = await records.get(run_id)
        if run is None:
            raise Problem(404, "run-not-found", "No such reconciliation run", run_id=run_id)
        if format == "text":
            return PlainTextResponse(render_text(run) + "\n")
        return RunView.of(run)

    return router

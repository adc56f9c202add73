"""Runs of the job through its API: one repairing run at a time, a source that cannot be
read, paging through the sources, the admin token and the window, the run list and
report, and the run metrics. Real PostgreSQL, the other services as HTTP stubs."""

import asyncio

import httpx
from reconciliation.bootstrap import build_app
from reconciliation.settings import ReconciliationSettings
from shop_testing.credentials import bearer
from shop_testing.eventually import eventually

from .job_scenarios import (
    EXPECTED,
    PROBLEMS,
    drift_of_every_repairable_kind,
    start_run,
)
from .stub_rows import ago, completed_order, order_row, reservation_row, shipment_row
from .stubs import ShopStubs


async def test_two_runs_at_once_repair_once_and_the_second_is_refused(
    api: httpx.AsyncClient, stubs: ShopStubs, job_settings: ReconciliationSettings
) -> None:
    drift_of_every_repairable_kind(stubs)
    stubs.read_gate = asyncio.Event()
    # A second instance of the service (its own engine, so its own database session).
    other = build_app(job_settings)
    async with (
        other.router.lifespan_context(other),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=other),
            base_url="http://reconciliation-2",
            headers=bearer("operator", "reconciliation"),
            timeout=30,
        ) as second_api,
    ):
        first = asyncio.create_task(api.post("/v1/reconciliation/runs", json={"since": "24h"}))
        await eventually(lambda: len(stubs.reads) >= 1)  # the first run holds the lock, reading
        refused = await second_api.post("/v1/reconciliation/runs", json={"since": "24h"})
        stubs.read_gate.set()
        accepted = await first

    assert refused.status_code == 409
    assert refused.json()["type"] == PROBLEMS + "run-in-progress"
    assert accepted.status_code == 201
    assert len(stubs.calls) == len(EXPECTED)
    runs = (await api.get("/v1/reconciliation/runs")).json()["runs"]
    assert [r["run_id"] for r in runs] == [accepted.json()["run_id"]]


async def test_a_source_that_cannot_be_read_fails_the_run_and_nothing_is_repaired(
    api: httpx.AsyncClient, stubs: ShopStubs
) -> None:
    drift_of_every_repairable_kind(stubs)
    stubs.unavailable.add("payment")
    run = await start_run(api)
    assert run["status"] == "FAILED"
    assert run["error"].startswith("payment: GET /internal/v1/authorizations")
    assert run["findings"] == []
    assert stubs.calls == []


async def test_reads_page_through_every_row_with_the_token_and_the_window(
    stubs: ShopStubs, job_settings: ReconciliationSettings
) -> None:
    for n in range(7):
        stubs.add(completed_order(f"ord_{n}", at=ago(3600 - n)))
    settings = job_settings.model_copy(update={"read_page_size": 3})
    app = build_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://reconciliation",
            headers=bearer("operator", "reconciliation"),
        ) as api,
    ):
        run = await start_run(api, since="2h")

    assert run["findings"] == []
    assert run["summary"]["read"] == {
        "orders": 7,
        "reservations": 7,
        "authorizations": 7,
        "shipments": 7,
        "backorders": 0,
        "notifications": 14,
        "returns": 0,
        "refunds": 0,
        "restocks": 0,
    }
    # 3 pages each for orders, holds, authorizations and shipments, 5 for notifications,
    # 1 (empty) each for backorders, returns, refunds and restocks.
    assert run["summary"]["pages"] == 3 * 4 + 5 + 4
    orders = [q for path, q in stubs.reads if path == "/internal/v1/orders"]
    assert [q.get("cursor") for q in orders] == [None, "3", "6"]
    assert {q["limit"] for q in orders} == {"3"}
    since = orders[0]["since"]
    assert since.endswith("+00:00")


async def test_starting_a_run_needs_an_operator_token_and_a_valid_window(
    api: httpx.AsyncClient,
) -> None:
    anonymous = await api.post(
        "/v1/reconciliation/runs", json={"since": "24h"}, headers={"Authorization": ""}
    )
    assert anonymous.status_code == 401
    for body in ({"since": "yesterday"}, {"since": "1h", "until": "2h"}, {"since": "1h", "x": 1}):
        response = await api.post("/v1/reconciliation/runs", json=body)
        assert response.status_code == 422, body
    assert (await api.get("/v1/reconciliation/runs/run_nope")).json()["type"] == (
        PROBLEMS + "run-not-found"
    )


async def test_runs_are_listed_newest_first_and_readable_as_text(
    api: httpx.AsyncClient, stubs: ShopStubs
) -> None:
    first = await start_run(api, dry_run=True)
    stubs.reservations.append(reservation_row("ord_orphan", "HELD", at=ago(1200)))
    second = await start_run(api, dry_run=True)

    runs = (await api.get("/v1/reconciliation/runs", params={"limit": 5})).json()["runs"]
    assert [r["run_id"] for r in runs] == [second["run_id"], first["run_id"]]
    assert runs[0]["findings"] is None
    assert runs[0]["trigger"] == "api"

    text = await api.get(f"/v1/reconciliation/runs/{second['run_id']}", params={"format": "text"})
    assert text.headers["content-type"].startswith("text/plain")
    assert "DRY_RUN   orphan-reservation" in text.text
    assert "repair: release-reservation" in text.text


async def test_the_runs_metrics_count_findings_repairs_and_what_is_left_open(
    api: httpx.AsyncClient, stubs: ShopStubs
) -> None:
    drift_of_every_repairable_kind(stubs)
    stubs.shipments.append(shipment_row("ord_lost_shipment", at=ago(600)))
    stubs.orders.append(order_row("ord_lost_shipment", "REJECTED", at=ago(601)))
    await start_run(api)
    metrics = (await api.get("/metrics")).text
    assert (
        'reconciliation_findings_total{kind="orphan-reservation",status="REPAIRED"} 1.0' in metrics
    )
    assert (
        'reconciliation_repairs_total{kind="payment-not-captured",outcome="repaired"} 1.0'
        in metrics
    )
    assert 'reconciliation_open_findings{kind="unclassified"} 1.0' in metrics
    assert 'reconciliation_open_findings{kind="orphan-reservation"} 0.0' in metrics
    assert "reconciliation_run_duration_seconds_count" in metrics
    assert (
        'reconciliation_runs_total{dry_run="false",status="SUCCEEDED",trigger="api"} 1.0' in metrics
    )

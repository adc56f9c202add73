"""The job end to end through its API: real PostgreSQL, the other services as HTTP stubs
of docs/reconciliation.md. Each drift is found, repaired once, recorded, and gone."""

import asyncio
from typing import Any

import httpx
from reconciliation.bootstrap import build_app
from reconciliation.settings import ReconciliationSettings
from shop_servicekit import utc_now
from shop_testing.eventually import eventually

from .stubs import (
    ShopStubs,
    ago,
    authorization_row,
    backorder_row,
    completed_order,
    notification_row,
    order_row,
    reservation_row,
    shipment_row,
)

PROBLEMS = "https://shop.example/problems/"


def drift_of_every_repairable_kind(stubs: ShopStubs) -> None:
    hour_ago = ago(3600)
    stubs.add(completed_order("ord_fine", at=hour_ago))
    # OrderConfirmed never reached fulfillment.
    stubs.orders.append(
        order_row(
            "ord_lost",
            "CONFIRMED",
            at=ago(600),
            fulfillment="PENDING",
            payment="AUTHORIZED",
            notification="PENDING",
        )
    )
    stubs.reservations.append(reservation_row("ord_lost", "HELD", at=ago(601)))
    stubs.authorizations.append(authorization_row("ord_lost", "AUTHORIZED", at=ago(601)))
    # A checkout that died after reserving and authorizing.
    stubs.reservations.append(reservation_row("ord_orphan", "HELD", at=ago(1200)))
    stubs.authorizations.append(authorization_row("ord_orphan", "AUTHORIZED", at=ago(1200)))
    # Shipped, but inventory never committed.
    stubs.add(completed_order("ord_uncommitted", at=hour_ago))
    stubs.of("reservations", "ord_uncommitted")[0]["status"] = "HELD"
    # Shipped, but payment never captured (checkout knows it is not captured).
    stubs.add(completed_order("ord_uncaptured", at=hour_ago))
    stubs.of("authorizations", "ord_uncaptured")[0].update(status="AUTHORIZED", captured_at=None)
    stubs.of("orders", "ord_uncaptured")[0].update(status="SHIPPED", payment_status="AUTHORIZED")
    # Shipped, but the customer was never told.
    stubs.add(completed_order("ord_unnotified", at=hour_ago))
    stubs.notifications[:] = [
        n
        for n in stubs.notifications
        if not (n["order_id"] == "ord_unnotified" and n["kind"] == "SHIPMENT_CREATED")
    ]
    # Everything happened, but checkout missed the news.
    stubs.add(completed_order("ord_behind", at=hour_ago))
    stubs.of("orders", "ord_behind")[0].update(
        status="CONFIRMED", fulfillment_status="PENDING", payment_status="AUTHORIZED"
    )


EXPECTED = [
    (
        "order-confirmed-event-lost",
        "ord_lost",
        ("checkout", "/internal/v1/orders/ord_lost/republish"),
    ),
    (
        "orphan-authorization",
        "ord_orphan",
        ("payment", "/v1/authorizations/by-order/ord_orphan/void"),
    ),
    (
        "orphan-reservation",
        "ord_orphan",
        ("inventory", "/v1/reservations/by-order/ord_orphan/release"),
    ),
    ("order-status-mismatch", "ord_behind", ("checkout", "/internal/v1/orders/ord_behind/facts")),
    (
        "payment-not-captured",
        "ord_uncaptured",
        ("payment", "/internal/v1/authorizations/by-order/ord_uncaptured/capture"),
    ),
    (
        "reservation-not-committed",
        "ord_uncommitted",
        ("inventory", "/internal/v1/reservations/by-order/ord_uncommitted/commit"),
    ),
    (
        "notification-missing",
        "ord_unnotified",
        ("communications", "/internal/v1/notifications/resend"),
    ),
]


def fulfillment_allocates(stubs: ShopStubs, order_id: str) -> None:
    """What the republished OrderConfirmed leads to: fulfillment backorders, all learn it."""
    stubs.backorders.append(backorder_row(order_id, at=utc_now()))
    stubs.notifications.append(notification_row(order_id, "ORDER_CONFIRMED", at=utc_now()))
    stubs.notifications.append(notification_row(order_id, "BACKORDER_DECLARED", at=utc_now()))
    stubs.of("orders", order_id)[0].update(status="BACKORDERED", fulfillment_status="BACKORDERED")


async def start_run(api: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    response = await api.post("/v1/reconciliation/runs", json={"since": "24h", **body})
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"/v1/reconciliation/runs/{response.json()['run_id']}"
    return dict(response.json())


def found(run: dict[str, Any]) -> list[tuple[str, str, str]]:
    return sorted((f["kind"], f["order_id"], f["status"]) for f in run["findings"])


async def test_every_kind_of_drift_is_repaired_once_and_the_next_run_finds_nothing(
    api: httpx.AsyncClient, stubs: ShopStubs
) -> None:
    drift_of_every_repairable_kind(stubs)

    run = await start_run(api)

    assert run["status"] == "SUCCEEDED"
    assert found(run) == sorted((kind, order, "REPAIRED") for kind, order, _ in EXPECTED)
    assert sorted(stubs.repairs()) == sorted(call for _, _, call in EXPECTED)
    [resend] = [c for c in stubs.calls if c.service == "communications"]
    assert resend.body == {
        "order_id": "ord_unnotified",
        "kind": "SHIPMENT_CREATED",
        "recipient": {"customer_id": "cus_1", "email": "ada@example.com"},
        "total": {"amount": 2856, "currency": "EUR"},
    }
    [facts] = [c for c in stubs.calls if c.path.endswith("/facts")]
    assert facts.body == {
        "backordered": False,
        "shipped": True,
        "dispatched": False,
        "captured": True,
        "voided": False,
        "notified": True,
    }
    assert run["summary"]["by_kind"] == {kind: 1 for kind, _, _ in EXPECTED}
    assert run["summary"]["repaired"] == len(EXPECTED)
    assert run["summary"]["read"]["orders"] == 6

    # The run is recorded with its findings and their evidence.
    recorded = (await api.get(f"/v1/reconciliation/runs/{run['run_id']}")).json()
    assert found(recorded) == found(run)
    [lost] = [f for f in recorded["findings"] if f["kind"] == "order-confirmed-event-lost"]
    assert lost["evidence"]["checkout"]["status"] == "CONFIRMED"
    assert lost["repair"] == {"action": "republish-order-confirmed", "params": {}}

    fulfillment_allocates(stubs, "ord_lost")
    again = await start_run(api)
    assert again["findings"] == []
    assert len(stubs.calls) == len(EXPECTED)  # nothing repaired twice


async def test_a_dry_run_reports_the_same_drift_and_repairs_nothing(
    api: httpx.AsyncClient, stubs: ShopStubs
) -> None:
    drift_of_every_repairable_kind(stubs)
    run = await start_run(api, dry_run=True)
    assert run["dry_run"] is True
    assert found(run) == sorted((kind, order, "DRY_RUN") for kind, order, _ in EXPECTED)
    assert stubs.calls == []


async def test_what_cannot_be_repaired_stays_open_with_the_reason_and_is_not_guessed_at(
    api: httpx.AsyncClient, stubs: ShopStubs
) -> None:
    # Shipped, yet the authorization was voided: payment refuses the capture (409).
    stubs.add(completed_order("ord_voided", at=ago(3600)))
    stubs.of("authorizations", "ord_voided")[0].update(status="VOIDED", captured_at=None)
    stubs.of("orders", "ord_voided")[0].update(status="SHIPPED", payment_status="VOIDED")
    # Shipped although checkout cancelled it: no command makes that right.
    stubs.add(completed_order("ord_cancelled", at=ago(3600)))
    stubs.of("orders", "ord_cancelled")[0].update(status="CANCELLED")
    stubs.of("reservations", "ord_cancelled")[0]["status"] = "HELD"

    run = await start_run(api)

    findings = {f["kind"]: f for f in run["findings"]}
    assert sorted(findings) == ["payment-not-captured", "unclassified"]
    capture = findings["payment-not-captured"]
    assert capture["status"] == "OPEN"
    assert "answered 409 (not-authorized)" in capture["error"]
    assert findings["unclassified"]["status"] == "OPEN"
    assert findings["unclassified"]["repair"] is None
    # The capture was tried once; nothing was released, voided or committed instead.
    assert stubs.repairs() == [
        ("payment", "/internal/v1/authorizations/by-order/ord_voided/capture")
    ]
    assert run["summary"]["open"] == 2


async def test_an_order_communications_never_heard_of_is_notified_at_checkouts_recipient(
    api: httpx.AsyncClient, stubs: ShopStubs
) -> None:
    # Shipped, but OrderConfirmed never reached communications: it has no recipient (and
    # checkout, never told, has the customer as not notified).
    stubs.add(completed_order("ord_unheard", at=ago(3600)))
    # The same, but from a checkout that does not say who the customer is.
    stubs.add(completed_order("ord_anonymous", at=ago(3600)))
    stubs.notifications.clear()
    for order in stubs.orders:
        order["notification_status"] = "PENDING"
    anonymous = stubs.of("orders", "ord_anonymous")[0]
    del anonymous["customer_id"], anonymous["customer_email"], anonymous["total"]

    run = await start_run(api)

    assert found(run) == [
        ("notification-missing", "ord_anonymous", "OPEN"),
        ("notification-missing", "ord_anonymous", "OPEN"),
        ("notification-missing", "ord_unheard", "REPAIRED"),
        ("notification-missing", "ord_unheard", "REPAIRED"),
    ]
    given = [c.body for c in stubs.calls if c.body["order_id"] == "ord_unheard"]
    assert [(b["kind"], b["recipient"]["email"], b["total"]["amount"]) for b in given] == [
        ("ORDER_CONFIRMED", "ada@example.com", 2856),
        ("SHIPMENT_CREATED", "ada@example.com", 2856),
    ]
    unknown = [f for f in run["findings"] if f["order_id"] == "ord_anonymous"]
    assert all("answered 409 (recipient-unknown)" in f["error"] for f in unknown)
    assert [f["repair"]["params"] for f in unknown] == [
        {"kind": "ORDER_CONFIRMED"},
        {"kind": "SHIPMENT_CREATED"},
    ]
    again = await start_run(api)
    assert sorted((f["order_id"], f["status"]) for f in again["findings"]) == [
        ("ord_anonymous", "OPEN"),
        ("ord_anonymous", "OPEN"),
    ]


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
            headers={"Authorization": "Bearer dev-admin-token"},
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
            headers={"Authorization": "Bearer dev-admin-token"},
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
    }
    # 3 pages each for orders, holds, authorizations and shipments, 5 for notifications,
    # 1 (empty) for backorders.
    assert run["summary"]["pages"] == 3 * 4 + 5 + 1
    orders = [q for path, q in stubs.reads if path == "/internal/v1/orders"]
    assert [q.get("cursor") for q in orders] == [None, "3", "6"]
    assert {q["limit"] for q in orders} == {"3"}
    since = orders[0]["since"]
    assert since.endswith("+00:00")


async def test_starting_a_run_needs_the_admin_token_and_a_valid_window(
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

"""The job end to end through its API: real PostgreSQL, the other services as HTTP stubs
of docs/reconciliation.md. Each drift is found, repaired once, recorded, and gone."""

import httpx

from .job_scenarios import (
    EXPECTED,
    drift_of_every_repairable_kind,
    found,
    fulfillment_allocates,
    start_run,
)
from .stub_rows import ago, completed_order
from .stubs import ShopStubs


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

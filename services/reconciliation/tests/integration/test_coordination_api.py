from datetime import UTC, datetime, timedelta

import httpx
import pytest
from reconciliation.adapters.tables import coordination_events
from reconciliation.application.coordination import ObservedEvent, observe_event
from shop_servicekit import Database
from sqlalchemy import func, select

PROBLEMS = "https://shop.example/problems/"
CONFIRMED = "shop.checkout.OrderConfirmed.v2"
SHIPPED = "shop.fulfillment.ShipmentCreated.v1"
COMMITTED = "shop.inventory.ReservationCommitted.v1"
CAPTURED = "shop.payment.PaymentCaptured.v1"
NOTIFIED = "shop.communications.CustomerNotified.v1"
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


@pytest.fixture
def now() -> datetime:
    return NOW


def ago(seconds: float) -> datetime:
    return NOW - timedelta(seconds=seconds)


async def observe(db: Database, event_id: str, type_: str, order_id: str, at: datetime) -> bool:
    async with db.sessions.begin() as session:
        applied = await observe_event(
            session, ObservedEvent(event_id, type_, order_id, at), now=NOW
        )
    return applied is not None


async def test_a_duplicate_event_is_logged_and_applied_once(db: Database) -> None:
    assert await observe(db, "evt_1", CONFIRMED, "ord_1", ago(10))
    assert not await observe(db, "evt_1", CONFIRMED, "ord_1", ago(10))
    async with db.sessions() as session:
        logged = await session.scalar(select(func.count()).select_from(coordination_events))
    assert logged == 1


async def test_event_types_outside_complete_order_are_not_tracked(db: Database) -> None:
    assert not await observe(db, "evt_1", "shop.payment.PaymentVoided.v1", "ord_1", ago(10))


async def test_an_orders_coordination_shows_each_step_and_what_is_late(
    client: httpx.AsyncClient, db: Database
) -> None:
    # Out of order: the shipment is seen before the confirmation.
    await observe(db, "evt_2", SHIPPED, "ord_1", ago(290))
    await observe(db, "evt_1", CONFIRMED, "ord_1", ago(300))
    await observe(db, "evt_3", NOTIFIED, "ord_1", ago(280))

    response = await client.get("/v1/coordination/orders/ord_1")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "STUCK"
    assert body["confirmed_at"] == "2026-11-21T11:55:00Z"
    assert body["allocated_at"] == "2026-11-21T11:55:10Z"
    steps = {step["step"]: step for step in body["steps"]}
    assert steps["allocation"]["status"] == "DONE"
    assert steps["customer_notification"]["status"] == "DONE"
    assert steps["reservation_commit"]["status"] == "LATE"
    assert steps["reservation_commit"]["late_by_seconds"] == 290 - 120
    assert steps["payment_capture"]["due_at"] == "2026-11-21T11:57:10Z"


async def test_a_completed_order_says_so(client: httpx.AsyncClient, db: Database) -> None:
    for n, type_ in enumerate([CONFIRMED, SHIPPED, COMMITTED, CAPTURED, NOTIFIED]):
        await observe(db, f"evt_{n}", type_, "ord_1", ago(100 - n))
    body = (await client.get("/v1/coordination/orders/ord_1")).json()
    assert body["status"] == "COMPLETE"
    assert {step["status"] for step in body["steps"]} == {"DONE"}


async def test_an_order_never_seen_is_a_404_order_not_tracked(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/coordination/orders/ord_unknown")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == PROBLEMS + "order-not-tracked"
    assert response.json()["order_id"] == "ord_unknown"


async def test_stuck_lists_only_orders_past_a_deadline_oldest_first(
    client: httpx.AsyncClient, db: Database
) -> None:
    await observe(db, "evt_a", CONFIRMED, "ord_fresh", ago(10))
    await observe(db, "evt_b", CONFIRMED, "ord_late", ago(90))
    await observe(db, "evt_c", CONFIRMED, "ord_later", ago(600))
    await observe(db, "evt_d", NOTIFIED, "ord_later", ago(590))
    for n, type_ in enumerate([CONFIRMED, SHIPPED, COMMITTED, CAPTURED, NOTIFIED]):
        await observe(db, f"evt_done_{n}", type_, "ord_done", ago(1000 - n))

    response = await client.get("/v1/coordination/stuck")
    assert response.status_code == 200
    body = response.json()
    assert body["as_of"] == "2026-11-21T12:00:00Z"
    assert [o["order_id"] for o in body["orders"]] == ["ord_later", "ord_late"]
    assert body["orders"][0]["late_steps"] == [
        {"step": "allocation", "due_at": "2026-11-21T11:51:00Z", "late_by_seconds": 540.0}
    ]
    assert {s["step"] for s in body["orders"][1]["late_steps"]} == {
        "allocation",
        "customer_notification",
    }

    limited = await client.get("/v1/coordination/stuck", params={"limit": 1})
    assert [o["order_id"] for o in limited.json()["orders"]] == ["ord_later"]


async def test_an_out_of_range_limit_is_a_validation_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/coordination/stuck", params={"limit": 0})
    assert response.status_code == 422
    assert response.json()["type"] == PROBLEMS + "validation-error"

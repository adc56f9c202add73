"""The worker: every topic into coordination state, and the job on its schedule."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from aiokafka import AIOKafkaProducer
from prometheus_client import CollectorRegistry
from reconciliation.adapters.coordination import get_state
from reconciliation.bootstrap import build_worker
from reconciliation.entrypoints.worker import subscriptions
from reconciliation.settings import ReconciliationSettings
from shop_contracts import (
    Address,
    CloudEvent,
    CustomerNotified,
    Event,
    Money,
    OrderConfirmed,
    OrderLine,
    PaymentCaptured,
    ReservationCommitted,
    ShipmentCreated,
    ShipmentLine,
    StockReplenished,
    to_kafka,
)
from shop_messaging import MessagingWorker
from shop_servicekit import Database, utc_now
from shop_testing.eventually import eventually

from .stub_rows import ago, reservation_row
from .stubs import ShopStubs

FAST_JOIN = {"session_timeout_ms": 1000, "heartbeat_interval_ms": 300}
T0 = datetime(2026, 11, 21, 11, 0, tzinfo=UTC)


async def publish(bootstrap: str, *events: CloudEvent[Event]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for published in events:
            key, value, headers = to_kafka(published)
            await producer.send_and_wait(published.topic, value, key=key, headers=headers)
    finally:
        await producer.stop()


@pytest.fixture
async def consuming(db: Database, kafka_bootstrap_servers: str) -> AsyncIterator[None]:
    # A group of its own: the session's broker carries other tests' events too.
    group = f"reconciliation-test-{uuid.uuid4().hex[:8]}"
    messaging = MessagingWorker(
        group,
        db.engine,
        db.sessions,
        bootstrap_servers=kafka_bootstrap_servers,
        enable_idempotence=False,
        consumer_options=FAST_JOIN,
    )
    task = asyncio.create_task(messaging.consumer(group, subscriptions(clock=utc_now))())
    try:
        yield
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await messaging.close()


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


async def test_events_from_all_five_topics_build_the_orders_coordination_state(
    db: Database, kafka_bootstrap_servers: str, consuming: None
) -> None:
    order_id = f"ord_{uuid.uuid4().hex[:12]}"
    eur = Money(amount=2856, currency="EUR")
    confirmed = CloudEvent.create(
        OrderConfirmed(
            order_id=order_id,
            customer_id="cus_1",
            customer_email="ada@example.com",
            lines=(OrderLine(sku="SKU-MUG-01", quantity=1, unit_price=eur),),
            total=eur,
            reservation_id="res_1",
            authorization_id="auth_1",
            shipping_address=Address(
                name="Ada", line1="1 Main St", city="Berlin", postal_code="10115", country="DE"
            ),
            confirmed_at=at(0),
        ),
        time=at(0),
    )
    shipped = CloudEvent.create(
        ShipmentCreated(
            order_id=order_id,
            shipment_id="shp_1",
            warehouse_id="wh_berlin",
            lines=(ShipmentLine(sku="SKU-MUG-01", quantity=1),),
        ),
        time=at(10),
    )
    committed = CloudEvent.create(
        ReservationCommitted(order_id=order_id, reservation_id="res_1"), time=at(20)
    )
    captured = CloudEvent.create(
        PaymentCaptured(order_id=order_id, authorization_id="auth_1", amount=eur), time=at(30)
    )
    notified = CloudEvent.create(
        CustomerNotified(
            order_id=order_id,
            notification_id="ntf_1",
            kind="SHIPMENT_CREATED",
            about_event_id=shipped.id,
        ),
        time=at(40),
    )
    replenished = CloudEvent.create(
        StockReplenished(sku="SKU-MUG-01", quantity=5, available=5), time=at(50)
    )
    # Late, duplicated and out of order: the shipment first, the confirmation last, twice.
    await publish(
        kafka_bootstrap_servers,
        shipped,
        notified,
        captured,
        committed,
        replenished,
        confirmed,
        confirmed,
    )

    async def complete() -> bool:
        async with db.sessions() as session:
            state = await get_state(session, order_id)
        return (
            state is not None
            and state.confirmed_at is not None
            and state.allocated_at is not None
            and (state.customer_notified_at is not None)
            and state.payment_captured_at is not None
            and state.reservation_committed_at is not None
        )

    await eventually(complete, timeout=30)
    async with db.sessions() as session:
        state = await get_state(session, order_id)
    assert state is not None
    assert (state.confirmed_at, state.allocated_at, state.last_event_at) == (at(0), at(10), at(40))


async def test_the_worker_runs_the_job_on_its_schedule(
    job_settings: ReconciliationSettings, stubs: ShopStubs, db: Database
) -> None:
    stubs.reservations.append(reservation_row("ord_orphan", "HELD", at=ago(1200)))
    settings = job_settings.model_copy(
        update={"schedule_interval_seconds": 0.2, "kafka_bootstrap_servers": "127.0.0.1:1"}
    )
    worker = build_worker(settings, registry=CollectorRegistry())
    [schedule] = [task for task in worker.tasks if task.__name__ == "reconcile_recent"]
    running = asyncio.create_task(schedule())
    try:
        await eventually(lambda: len(stubs.calls) >= 1, timeout=20)
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        assert worker.close is not None
        await worker.close()
    assert stubs.repairs()[0] == ("inventory", "/v1/reservations/by-order/ord_orphan/release")
    assert len(stubs.calls) == 1  # the later runs found it released


def test_the_schedule_can_be_turned_off(job_settings: ReconciliationSettings) -> None:
    worker = build_worker(
        job_settings.model_copy(update={"schedule_interval_seconds": 0}),
        registry=CollectorRegistry(),
    )
    assert [t.__name__ for t in worker.tasks] == [
        "consume_reconciliation",
        "purge_expired_messages",
    ]

import asyncio
import logging
from typing import Any

import pytest
import sqlalchemy as sa
from shop_contracts import CloudEvent, OrderCancelled
from shop_messaging import MessagingWorker, Outbox
from shop_testing.eventually import eventually
from shop_testing.ports import free_port
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from .conftest import effects
from .test_consumer import FAST_JOIN, effect_count


async def test_relay_and_consumer_tasks_carry_an_outbox_event_into_a_handler_once(
    engine: AsyncEngine,
    session_factory: async_sessionmaker[AsyncSession],
    kafka_bootstrap_servers: str,
    kafka_idempotence: bool,
) -> None:
    handled: list[str] = []

    async def handle(session: AsyncSession, event: CloudEvent[Any]) -> None:
        handled.append(event.id)
        await session.execute(sa.insert(effects).values(event_id=event.id))

    messaging = MessagingWorker(
        "test",
        engine,
        session_factory,
        bootstrap_servers=kafka_bootstrap_servers,
        enable_idempotence=kafka_idempotence,  # on against real Kafka (SHOP_TEST_BACKEND)
        consumer_options=FAST_JOIN,
    )
    group = f"worker-test-{free_port()}"
    tasks = [
        asyncio.create_task(messaging.relay(poll_interval=0.1)()),
        asyncio.create_task(messaging.consumer(group, {OrderCancelled: handle})()),
    ]
    try:
        order_id = f"ord_worker_{free_port()}"
        async with session_factory() as session, session.begin():
            written = await Outbox().add(session, OrderCancelled(order_id=order_id, reason="test"))
        await eventually(lambda: written.id in handled, timeout=20)
        assert await effect_count(session_factory) >= 1
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await messaging.close()
    assert handled.count(written.id) == 1


async def test_tasks_keep_retrying_while_the_broker_is_unreachable(
    engine: AsyncEngine,
    session_factory: async_sessionmaker[AsyncSession],
    caplog: pytest.LogCaptureFixture,
) -> None:
    nobody = f"127.0.0.1:{free_port()}"
    messaging = MessagingWorker(
        "test", engine, session_factory, bootstrap_servers=nobody, enable_idempotence=False
    )
    caplog.set_level(logging.WARNING, logger="shop_messaging._worker")
    relay = asyncio.create_task(messaging.relay()())
    try:
        await eventually(
            lambda: sum("could not connect the producer" in r.message for r in caplog.records) >= 2,
            timeout=15,
        )
        assert not relay.done()  # still trying, not crashed
    finally:
        relay.cancel()
        await asyncio.gather(relay, return_exceptions=True)
        await messaging.close()

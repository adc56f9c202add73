import asyncio
import io
import json
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from asgi_correlation_id import correlation_id
from opentelemetry import trace
from prometheus_client import REGISTRY
from shop_contracts import CloudEvent, OrderCancelled, to_kafka
from shop_messaging import ConsumerRunner, Handler, KafkaPublisher, Outbox, replay_dlq
from shop_messaging._tables import inbox_table, outbox_table
from shop_telemetry.logs import JsonFormatter
from shop_testing.eventually import eventually
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .conftest import effects
from .kafka import produce, read

TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
# Tansu lets a group member in after about half the session timeout: keep it short.
FAST_JOIN = {"session_timeout_ms": 1000, "heartbeat_interval_ms": 300}
# A retried record is fetched again once the fetch in flight returns: keep that wait short.
QUICK_RETRIES = {"backoff_base": 0.01, "idle_wait_ms": 200}


def encoded(
    order_id: str = "ord_1", **envelope: Any
) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
    return to_kafka(CloudEvent.create(OrderCancelled(order_id=order_id, reason="x"), **envelope))


async def record_effect(session: AsyncSession, event: CloudEvent[Any]) -> None:
    await session.execute(sa.insert(effects).values(event_id=event.id))


async def effect_count(factory: async_sessionmaker[AsyncSession]) -> int:
    async with factory() as session:
        return int(await session.scalar(sa.select(sa.func.count()).select_from(effects)) or 0)


@asynccontextmanager
async def running(
    bootstrap: str,
    factory: async_sessionmaker[AsyncSession],
    handler: Handler,
    **options: Any,
) -> AsyncIterator[tuple[ConsumerRunner, str]]:
    """A runner on a fresh topic and group, stopped (and its task awaited) on exit."""
    topic = f"test.{uuid.uuid4().hex[:10]}"
    async with KafkaPublisher(bootstrap) as publisher:
        runner = ConsumerRunner(
            f"group-{uuid.uuid4().hex[:10]}",
            [topic],
            {OrderCancelled: handler},
            factory,
            bootstrap_servers=bootstrap,
            publisher=publisher,
            consumer_options=FAST_JOIN,
            **{**QUICK_RETRIES, **options},
        )
        task = asyncio.create_task(runner.run())
        try:
            yield runner, topic
        finally:
            runner.stop()
            await asyncio.wait_for(task, 10)


async def caught_up(runner: ConsumerRunner, records: int) -> bool:
    lag = await runner.lag()
    return bool(lag) and sum(lag.values()) == 0 and await _committed(runner) == records


async def _committed(runner: ConsumerRunner) -> int:
    consumer: Any = runner._consumer
    if consumer is None:
        return 0
    return sum([(await consumer.committed(tp)) or 0 for tp in consumer.assignment()])


async def test_redelivered_event_is_handled_once(
    session_factory: async_sessionmaker[AsyncSession], kafka_bootstrap_servers: str
) -> None:
    record = encoded()
    async with running(kafka_bootstrap_servers, session_factory, record_effect) as (runner, topic):
        await produce(kafka_bootstrap_servers, topic, record, record)
        await eventually(lambda: caught_up(runner, 2))

    assert await effect_count(session_factory) == 1
    async with session_factory() as session:
        claimed = (await session.execute(sa.select(inbox_table))).one()
    assert claimed.consumer_group == runner.group_id


async def test_handler_runs_with_the_event_trace_and_correlation_context(
    session_factory: async_sessionmaker[AsyncSession], kafka_bootstrap_servers: str
) -> None:
    seen: list[tuple[int, str | None]] = []

    async def handler(session: AsyncSession, event: CloudEvent[Any]) -> None:
        seen.append((trace.get_current_span().get_span_context().trace_id, correlation_id.get()))

    async with running(kafka_bootstrap_servers, session_factory, handler) as (_, topic):
        await produce(
            kafka_bootstrap_servers, topic, encoded(correlation_id="req_7", traceparent=TRACEPARENT)
        )
        await eventually(lambda: seen)

    assert seen == [(0x0AF7651916CD43DD8448EB211C80319C, "req_7")]
    assert correlation_id.get() is None  # set around the handler only


async def test_a_handled_event_is_logged_and_the_events_it_causes_carry_its_correlation_id(
    session_factory: async_sessionmaker[AsyncSession], kafka_bootstrap_servers: str
) -> None:
    order_id = f"ord_{uuid.uuid4().hex[:8]}"

    async def cancel_again(session: AsyncSession, event: CloudEvent[Any]) -> None:
        await Outbox().add(session, OrderCancelled(order_id=order_id, reason="follow-up"))

    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    handler.setFormatter(JsonFormatter("test"))  # formats at emit time, inside the context
    consumer_log = logging.getLogger("shop_messaging._consumer")
    consumer_log.addHandler(handler)
    consumer_log.setLevel(logging.INFO)
    try:
        async with running(kafka_bootstrap_servers, session_factory, cancel_again) as (_, topic):
            await produce(kafka_bootstrap_servers, topic, encoded(order_id, correlation_id="c-9"))
            await eventually(lambda: "handled" in lines.getvalue())
    finally:
        consumer_log.removeHandler(handler)

    [handled] = [json.loads(line) for line in lines.getvalue().splitlines() if "handled" in line]
    assert (handled["correlation_id"], handled["subject"]) == ("c-9", order_id)
    async with session_factory() as session:
        [headers] = (await session.execute(sa.select(outbox_table.c.headers))).scalars()
    assert ["ce_correlationid", "c-9"] in headers


async def test_transient_handler_failure_is_retried_then_succeeds(
    session_factory: async_sessionmaker[AsyncSession], kafka_bootstrap_servers: str
) -> None:
    attempts = 0

    async def flaky(session: AsyncSession, event: CloudEvent[Any]) -> None:
        nonlocal attempts
        attempts += 1
        await record_effect(session, event)  # rolled back with each failed attempt
        if attempts < 3:
            raise ConnectionError("database hiccup")

    async with running(kafka_bootstrap_servers, session_factory, flaky) as (runner, topic):
        await produce(kafka_bootstrap_servers, topic, encoded())
        await eventually(lambda: caught_up(runner, 1))

    assert attempts == 3
    assert await effect_count(session_factory) == 1


async def test_poison_goes_to_the_dlq_and_the_next_event_is_processed(
    session_factory: async_sessionmaker[AsyncSession], kafka_bootstrap_servers: str
) -> None:
    key, _, headers = encoded()
    async with running(kafka_bootstrap_servers, session_factory, record_effect) as (runner, topic):
        await produce(kafka_bootstrap_servers, topic, (key, b"{oops", headers), encoded())
        await eventually(lambda: effect_count(session_factory))
        [dead] = await read(kafka_bootstrap_servers, runner.dlq_topic, 1)

    info = dict(dead.headers)
    assert info["dlq_error"].startswith(b"MalformedEvent")
    assert info["dlq_original_topic"] == topic.encode()
    assert info["dlq_original_partition"].isdigit()
    assert info["dlq_original_offset"] == b"0"
    assert dead.value == b"{oops"
    assert await effect_count(session_factory) == 1


async def test_unknown_event_types_are_skipped(
    session_factory: async_sessionmaker[AsyncSession], kafka_bootstrap_servers: str
) -> None:
    key, value, headers = encoded()
    future = [(n, b"shop.checkout.OrderAmended.v9" if n == "ce_type" else v) for n, v in headers]
    async with running(kafka_bootstrap_servers, session_factory, record_effect) as (runner, topic):
        await produce(kafka_bootstrap_servers, topic, (key, value, future), encoded())
        await eventually(lambda: caught_up(runner, 2))
    assert await effect_count(session_factory) == 1


async def test_exhausted_retries_dead_letter_and_replay_republishes(
    session_factory: async_sessionmaker[AsyncSession], kafka_bootstrap_servers: str
) -> None:
    broken = True

    async def handler(session: AsyncSession, event: CloudEvent[Any]) -> None:
        if broken:
            raise RuntimeError("downstream bug")
        await record_effect(session, event)

    async with running(kafka_bootstrap_servers, session_factory, handler, max_attempts=2) as (
        runner,
        topic,
    ):
        await produce(kafka_bootstrap_servers, topic, encoded())
        [dead] = await read(kafka_bootstrap_servers, runner.dlq_topic, 1)
        assert dict(dead.headers)["dlq_error"] == b"RuntimeError: downstream bug"
        await eventually(lambda: caught_up(runner, 1))  # it moved on

        broken = False  # the fix is deployed
        assert await replay_dlq(runner.group_id, kafka_bootstrap_servers) == 1
        await eventually(lambda: effect_count(session_factory))
        assert await replay_dlq(runner.group_id, kafka_bootstrap_servers) == 0

    [_, replayed] = await read(kafka_bootstrap_servers, topic, 2)
    headers = dict(replayed.headers)
    assert headers["replay_count"] == b"1"
    assert not [name for name in headers if name.startswith("dlq_")]


def test_replay_command_reports_an_empty_dlq(
    kafka_bootstrap_servers: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from shop_messaging.__main__ import main

    group = f"nobody-{uuid.uuid4().hex[:8]}"
    assert (
        main(["replay-dlq", "--group", group, "--bootstrap-servers", kafka_bootstrap_servers]) == 0
    )
    assert f"replayed 0 record(s) from {group}.dlq" in capsys.readouterr().out


async def test_consumer_lag_is_exported_per_group_topic_and_partition_and_cleared_on_stop(
    session_factory: async_sessionmaker[AsyncSession], kafka_bootstrap_servers: str
) -> None:
    release = asyncio.Event()

    async def held(session: AsyncSession, event: CloudEvent[Any]) -> None:
        await release.wait()  # the first record waits: it and those behind it are lag

    def lag_of(group: str, topic: str) -> dict[str, float]:
        """The gauge's value per partition of `topic` for `group`."""
        return {
            sample.labels["partition"]: sample.value
            for metric in REGISTRY.collect()
            if metric.name == "shop_consumer_lag"
            for sample in metric.samples
            if sample.labels["group"] == group and sample.labels["topic"] == topic
        }

    async with running(kafka_bootstrap_servers, session_factory, held, lag_interval=0.1) as (
        runner,
        topic,
    ):
        await produce(kafka_bootstrap_servers, topic, *[encoded(f"ord_lag_{n}") for n in range(3)])

        def lagging() -> bool:
            assert sum(lag_of(runner.group_id, topic).values()) == 3
            return True

        try:
            await eventually(lagging, timeout=15)
        finally:
            release.set()

        def caught_up_gauge() -> bool:
            lags = lag_of(runner.group_id, topic)
            assert lags, "no partition reported"
            assert set(lags.values()) == {0}
            return True

        await eventually(caught_up_gauge, timeout=15)

    assert lag_of(runner.group_id, topic) == {}  # a stopped runner owns no partition

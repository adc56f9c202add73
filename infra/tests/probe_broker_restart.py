"""What the embedded broker does across a restart: the cause of events lost after one
(docs/broker-restart.md). These pin the broker's behaviour the consumer runner must cope
with; they are not what we want, and a broker that fixes it makes them fail on purpose.

Run by hand, not by `make test` (the file name keeps pytest from collecting it):
    .venv/bin/pytest infra/tests/probe_broker_restart.py
The first probe races the consumer's rejoin against its commit and is not deterministic.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from shop_stack.broker import broker_spec
from shop_stack.paths import VarDirs
from shop_stack.runner import StackRunner
from shop_stack.supervisor import Supervisor
from shop_stack.topology import Topology
from shop_testing.ports import free_port

TOPIC = "restart.orders"
TOPIC_ALREADY_EXISTS = 36


@pytest.fixture
async def broker(tmp_path: Path) -> AsyncIterator[StackRunner]:
    runner = StackRunner(
        Topology(infra=(broker_spec(free_port()),), services=()),
        Supervisor(VarDirs(tmp_path / "var")),
        say=lambda _: None,
    )
    await runner.up(within=60)
    yield runner
    runner.down()


async def restart(runner: StackRunner) -> None:
    runner.sup.stop("broker")
    await runner.start("broker", within=60)


async def create(bootstrap: str, partitions: int = 3) -> list[tuple[str, int, str]]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        response = await admin.create_topics([NewTopic(TOPIC, partitions, 1)])
    finally:
        await admin.close()
    return list(response.topic_errors)


async def drain(consumer: AIOKafkaConsumer, seconds: float) -> list[tuple[int, int]]:
    """(partition, offset) of everything fetched for `seconds`, committing as it goes."""
    seen: list[tuple[int, int]] = []
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        batch = await consumer.getmany(timeout_ms=300)
        for tp, records in batch.items():
            seen += [(tp.partition, r.offset) for r in records]
        if batch:
            await consumer.commit()
    return seen


async def test_a_restarted_broker_takes_a_stale_commit_and_the_group_skips_new_records(
    broker: StackRunner,
) -> None:
    bootstrap = broker.topology.infra[0].url
    await create(bootstrap)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=False)
    consumer = AIOKafkaConsumer(
        TOPIC,
        bootstrap_servers=bootstrap,
        group_id="g",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        session_timeout_ms=2000,
        heartbeat_interval_ms=300,
    )
    await producer.start()
    await consumer.start()
    try:
        for n in range(12):
            await producer.send_and_wait(TOPIC, b"old", key=b"k%d" % n)
        assert len(await drain(consumer, 4)) == 12
        old = {tp: await consumer.position(tp) for tp in consumer.assignment()}

        await restart(broker)
        await create(bootstrap)
        # What a consumer does that was handling a record when the broker went away: its
        # commit waits for the coordinator, then lands in the new broker's empty group.
        await consumer.commit(old)
        for n in range(12):
            await producer.send_and_wait(TOPIC, b"new", key=b"k%d" % n)
        seen = await drain(consumer, 6)
    finally:
        await consumer.stop()
        await producer.stop()

    # Real Kafka refuses that commit (the member is unknown); this broker keeps it, and the
    # group resumes at the old log's offsets: every new record below them is never read.
    skipped = [tp for tp, position in old.items() if position > 0 and (tp.partition, 0) not in seen]
    assert skipped, f"the group read the new log from its start: {seen}"


async def test_a_topic_touched_before_the_runner_creates_it_keeps_the_brokers_default(
    broker: StackRunner,
) -> None:
    bootstrap = broker.topology.infra[0].url
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        await producer.send_and_wait(TOPIC, b"early", key=b"k")  # auto-creates the topic
        partitions = producer.client.cluster.partitions_for_topic(TOPIC)
    finally:
        await producer.stop()

    [(_, code, _)] = await create(bootstrap, partitions=3)

    assert code == TOPIC_ALREADY_EXISTS
    assert partitions is not None
    assert len(partitions) != 3, partitions

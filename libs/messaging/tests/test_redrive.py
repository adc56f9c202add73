"""The automatic DLQ redrive against the real embedded broker."""

from typing import Any

from prometheus_client import REGISTRY
from shop_contracts import CloudEvent
from shop_messaging import DlqRedrive, KafkaPublisher
from shop_testing.eventually import eventually
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .kafka import read
from .test_consumer import caught_up, effect_count, encoded, produce, record_effect, running


def parked(group: str) -> float:
    return REGISTRY.get_sample_value("shop_consumer_dlq_parked_total", {"group": group}) or 0.0


def depth(group: str) -> float | None:
    return REGISTRY.get_sample_value(
        "shop_consumer_dlq_depth", {"group": group, "topic": f"{group}.dlq"}
    )


async def test_dead_letters_go_back_once_due_and_poison_stays_parked(
    session_factory: async_sessionmaker[AsyncSession], kafka_bootstrap_servers: str
) -> None:
    broken = True

    async def handler(session: AsyncSession, event: CloudEvent[Any]) -> None:
        if broken:
            raise RuntimeError("a bug, fixed by the next deploy")
        await record_effect(session, event)

    key, _, headers = encoded()
    async with (
        running(kafka_bootstrap_servers, session_factory, handler, max_attempts=1) as (
            runner,
            topic,
        ),
        KafkaPublisher(kafka_bootstrap_servers) as publisher,
    ):
        await produce(kafka_bootstrap_servers, topic, encoded(), (key, b"{oops", headers))
        dead = await read(kafka_bootstrap_servers, runner.dlq_topic, 2)
        assert sorted(dict(d.headers)["dlq_reason"] for d in dead) == [b"exhausted", b"poison"]
        await eventually(lambda: caught_up(runner, 2))

        not_yet = DlqRedrive(runner.group_id, kafka_bootstrap_servers, publisher, delay=3600)
        assert await not_yet.redrive_once() == 0  # not due: it waits, counted in the depth
        assert depth(runner.group_id) == 2

        broken = False  # the fix is deployed
        redrive = DlqRedrive(runner.group_id, kafka_bootstrap_servers, publisher, delay=0)
        assert await redrive.redrive_once() == 1
        assert parked(runner.group_id) == 1
        assert depth(runner.group_id) == 0
        await eventually(lambda: effect_count(session_factory))
        assert await redrive.redrive_once() == 0

    [_, _, back] = await read(kafka_bootstrap_servers, topic, 3)
    assert dict(back.headers)["replay_count"] == b"1"


async def test_a_record_that_keeps_failing_is_parked_after_max_redrives(
    session_factory: async_sessionmaker[AsyncSession], kafka_bootstrap_servers: str
) -> None:
    async def handler(session: AsyncSession, event: CloudEvent[Any]) -> None:
        raise RuntimeError("still broken")

    async with (
        running(kafka_bootstrap_servers, session_factory, handler, max_attempts=1) as (
            runner,
            topic,
        ),
        KafkaPublisher(kafka_bootstrap_servers) as publisher,
    ):
        redrive = DlqRedrive(
            runner.group_id, kafka_bootstrap_servers, publisher, delay=0, max_redrives=2
        )
        await produce(kafka_bootstrap_servers, topic, encoded())
        for redriven in (1, 2):
            await read(kafka_bootstrap_servers, runner.dlq_topic, redriven)
            assert await redrive.redrive_once() == 1
        await read(kafka_bootstrap_servers, runner.dlq_topic, 3)
        assert await redrive.redrive_once() == 0
        assert parked(runner.group_id) == 1

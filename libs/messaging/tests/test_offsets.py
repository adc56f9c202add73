"""Which offsets the runner commits, and when it re-reads a partition from its start
(pure logic, against a stand-in for aiokafka's consumer; the real broker restart is in
test_broker_outage.py)."""

from __future__ import annotations

from typing import Any

from aiokafka import TopicPartition
from shop_messaging import ConsumerRunner

TP = TopicPartition("checkout.orders", 0)


class FakeConsumer:
    """The few calls the runner's offset bookkeeping makes, answered from fields."""

    def __init__(
        self,
        *,
        highwater: int | None,
        end: int = 0,
        committed: int | None = None,
        position: int = 0,
    ):
        self._highwater, self._end, self._committed = highwater, end, committed
        self._position = position
        self.commits: list[dict[TopicPartition, int]] = []
        self.rewound: list[TopicPartition] = []
        self.sought: list[tuple[TopicPartition, int]] = []
        self.paused_partitions: set[TopicPartition] = set()

    def highwater(self, tp: TopicPartition) -> int | None:
        return self._highwater

    async def commit(self, offsets: dict[TopicPartition, int]) -> None:
        self.commits.append(offsets)

    async def seek_to_beginning(self, *tps: TopicPartition) -> None:
        self.rewound.extend(tps)

    def seek(self, tp: TopicPartition, offset: int) -> None:
        self.sought.append((tp, offset))

    def pause(self, tp: TopicPartition) -> None:
        self.paused_partitions.add(tp)

    def resume(self, tp: TopicPartition) -> None:
        self.paused_partitions.discard(tp)

    def paused(self) -> set[TopicPartition]:
        return set(self.paused_partitions)

    def assignment(self) -> set[TopicPartition]:
        return {TP}

    async def end_offsets(self, tps: list[TopicPartition]) -> dict[TopicPartition, int]:
        return dict.fromkeys(tps, self._end)

    async def committed(self, tp: TopicPartition) -> int | None:
        return self._committed

    async def position(self, tp: TopicPartition) -> int:
        return self._position


def runner() -> ConsumerRunner:
    return ConsumerRunner(
        "fulfillment", [TP.topic], {}, None,  # type: ignore[arg-type]
        bootstrap_servers="127.0.0.1:1", publisher=None,  # type: ignore[arg-type]
        backoff_base=1.0, backoff_max=1.0, idle_wait_ms=2000,
    )  # fmt: skip


async def commit(r: ConsumerRunner, consumer: Any, offset: int, epoch: int = 0) -> None:
    await r._commit(consumer, TP, offset, epoch)


async def test_an_offset_within_the_log_is_committed_and_remembered() -> None:
    r, consumer = runner(), FakeConsumer(highwater=10)
    await commit(r, consumer, 7)
    assert consumer.commits == [{TP: 7}]
    assert r._committed == {TP: 7}


async def test_an_offset_past_the_logs_end_is_not_committed_and_the_log_is_reread() -> None:
    r, consumer = runner(), FakeConsumer(highwater=2)  # the broker restarted, log reset
    await commit(r, consumer, 7)
    assert consumer.commits == []
    assert consumer.rewound == [TP]


async def test_nothing_is_committed_for_a_batch_fetched_before_a_rebalance() -> None:
    r, consumer = runner(), FakeConsumer(highwater=10)
    await r._membership.on_partitions_revoked({TP})
    await commit(r, consumer, 7, epoch=0)
    assert consumer.commits == []


async def test_after_an_assignment_a_log_that_ends_below_our_commit_is_read_from_the_start() -> (
    None
):
    r = runner()
    await commit(r, FakeConsumer(highwater=50), 50)
    await r._membership.on_partitions_assigned({TP})
    # The new broker holds 3 records (relays published them) and no commit of ours.
    consumer = FakeConsumer(highwater=3, end=3, committed=None)
    assert await r._after_rebalance(consumer) == {TP}
    assert consumer.rewound == [TP]
    assert await r._after_rebalance(consumer) == set()  # each assignment checked once


async def test_after_an_assignment_a_stale_group_commit_past_the_end_is_read_from_the_start() -> (
    None
):
    r = runner()
    await r._membership.on_partitions_assigned({TP})
    consumer = FakeConsumer(highwater=None, end=4, committed=40)
    assert await r._after_rebalance(consumer) == {TP}


async def test_a_healthy_assignment_is_left_where_the_group_committed() -> None:
    r = runner()
    await commit(r, FakeConsumer(highwater=50), 50)
    await r._membership.on_partitions_assigned({TP})
    consumer = FakeConsumer(highwater=60, end=60, committed=50)
    assert await r._after_rebalance(consumer) == set()
    assert consumer.rewound == []


async def test_a_record_to_retry_pauses_its_partition_until_its_backoff_is_due() -> None:
    r, consumer = runner(), FakeConsumer(highwater=10)
    r._pause(consumer, TP, 4, attempt=1)
    assert consumer.sought == [(TP, 4)]
    assert consumer.paused() == {TP}
    assert 0 < r._wait_ms() <= 1000  # the fetch waits no longer than the backoff
    r._retries[TP].due = 0.0  # the backoff has passed
    r._resume_due(consumer)
    assert consumer.paused() == set()
    assert r._wait_ms() == 2000  # nothing due any more: the idle wait


async def test_a_fetch_position_past_the_logs_end_is_read_from_the_start_with_no_rebalance() -> (
    None
):
    """The memory-only broker restarted and the group never rebalanced: the fetch at the old
    position finds nothing, with no error, while the relays' records wait below it."""
    r = runner()
    consumer = FakeConsumer(highwater=2, position=50)
    assert await r._reset_logs(consumer) == {TP}
    assert consumer.rewound == [TP]


async def test_a_position_within_the_log_or_before_any_fetch_is_left_alone() -> None:
    r = runner()
    assert await r._reset_logs(FakeConsumer(highwater=60, position=50)) == set()
    assert await r._reset_logs(FakeConsumer(highwater=None, position=50)) == set()
    paused = FakeConsumer(highwater=2, position=50)
    r._pause(paused, TP, 50, attempt=1)  # a record waiting for its retry keeps its place
    assert await r._reset_logs(paused) == set()

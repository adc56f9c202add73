"""The consumer runner: Kafka records in, handlers run exactly once per event (per group).

For each record, in partition order: decode; claim the event id in the inbox and run the
handler in one database transaction; commit. Once per fetched batch and partition, commit
the Kafka offset after the last record handled. A crash anywhere replays records whose
offset was not committed, and the inbox turns each replay into a no-op.

A failing handler pauses only its partition (see `_failures`): the record is retried with
capped backoff while the other partitions go on, so one key's events stay in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.errors import CommitFailedError, IllegalStateError
from shop_contracts import Event, topics
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ._dispatch import Dispatcher, Handler, Outcome
from ._failures import Backoff
from ._membership import Membership
from ._metrics import CONSUMER_LAG, PARTITIONS_PAUSED
from ._publisher import Publisher, ensure_topics

log = logging.getLogger(__name__)

__all__ = ["ConsumerRunner", "Handler"]


@dataclass
class _Retry:
    """A partition paused on the record at `offset`, to be fetched again at `due`."""

    offset: int
    attempt: int
    due: float
    resumed: bool = False
    spent: int = 0  # of those attempts, the ones that failed for an unclassified reason


class ConsumerRunner:
    """Consumes topics as one consumer group and dispatches events to handlers.

        runner = ConsumerRunner(
            "fulfillment",
            [topics.ORDERS, topics.STOCK],
            {OrderConfirmed: allocate_order, StockReplenished.event_type: retry_backorders},
            session_factory,
            bootstrap_servers="127.0.0.1:9092",
            publisher=publisher,          # for dead letters
            transient=(RetryLater,),      # the service's own "not now" exceptions
        )
        task = asyncio.create_task(runner.run())
        ...
        runner.stop(); await task

    Events of types with no handler (or unknown to this version) are skipped. Poison
    records and permanent failures go straight to `<group>.dlq`. A transient failure is
    retried for as long as it takes; any other failure `max_attempts` times, then it is
    dead-lettered. Retries wait `backoff_base * 2^n` (capped at `backoff_max`, jittered)
    with the partition paused; the loop keeps serving the group's other partitions.

    `idle_wait_ms` is how long a fetch waits on the broker for new records (unless
    `consumer_options` names `fetch_max_wait_ms`). On Apache Kafka a long wait costs nothing
    in latency (the broker answers as soon as a record arrives) and keeps an idle
    consumer's loop quiet; Tansu answers only once about half the wait has passed, so
    there the wait is each hop's latency (the services' `kafka_fetch_max_wait_ms`). It
    also delays a retry: a resumed partition is fetched again once the fetch in flight
    returns.
    """

    def __init__(
        self,
        group_id: str,
        topics: Sequence[str],
        handlers: Mapping[str, Handler] | Mapping[type[Event], Handler],
        session_factory: async_sessionmaker[AsyncSession],
        *,
        bootstrap_servers: str,
        publisher: Publisher,
        max_attempts: int = 5,
        backoff_base: float = 0.2,
        backoff_max: float = 10.0,
        transient: tuple[type[BaseException], ...] = (),
        permanent: tuple[type[BaseException], ...] = (),
        idle_wait_ms: int = 2000,
        create_dlq_topic: bool = True,
        consumer_options: Mapping[str, Any] | None = None,
        lag_interval: float = 5.0,
    ) -> None:
        self.group_id = group_id
        self.dlq_topic = _dlq_topic(group_id)
        self._topics = list(topics)
        self._dispatcher = Dispatcher(
            group_id,
            handlers,
            session_factory,
            publisher=publisher,
            dlq_topic=self.dlq_topic,
            transient=transient,
            permanent=permanent,
            backoff=Backoff(backoff_base, backoff_max),
        )
        self._bootstrap_servers = bootstrap_servers
        self._max_attempts = max_attempts
        self._backoff = Backoff(backoff_base, backoff_max)
        self._idle_wait_ms = idle_wait_ms
        self._create_dlq_topic = create_dlq_topic
        # A new group reads its topics from the beginning unless the options say otherwise.
        self._consumer_options = {
            "fetch_max_wait_ms": idle_wait_ms,
            "auto_offset_reset": "earliest",
            **(consumer_options or {}),
        }
        self._consumer: AIOKafkaConsumer | None = None
        self._membership = Membership()
        self._retries: dict[TopicPartition, _Retry] = {}
        # The highest offset this runner committed per partition: a log never shrinks, so
        # a log that ends below it was reset (a memory-only broker restarted).
        self._committed: dict[TopicPartition, int] = {}
        self._stopping = False
        self._lag_interval = lag_interval
        self._lag_labels: set[tuple[str, str, str]] = set()
        self.assigned = asyncio.Event()
        """Set once the group has given this runner its partitions (useful in tests)."""

    async def run(self) -> None:
        """Consume until `stop()` is called or the task is cancelled."""
        self._stopping = False
        if self._create_dlq_topic:
            try:
                await ensure_topics(self._bootstrap_servers, [self.dlq_topic])
            except Exception:
                log.warning("could not create %s; relying on auto-create", self.dlq_topic)
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self._bootstrap_servers,
            group_id=self.group_id,
            enable_auto_commit=False,  # offsets are committed after the database commit
            **self._consumer_options,
        )
        self._membership = Membership()
        consumer.subscribe(self._topics, listener=self._membership)
        await consumer.start()
        self._consumer = consumer
        # Beside the loop, not in it: a handler that hangs is when the lag matters most.
        lag_task = asyncio.create_task(self._export_lag(), name=f"lag_{self.group_id}")
        try:
            while not self._stopping:
                self._resume_due(consumer)
                batches = await consumer.getmany(timeout_ms=self._wait_ms())
                if consumer.assignment():
                    self.assigned.set()
                epoch = self._membership.epoch
                # Checked before handling: a batch fetched right after an assignment may
                # come from an offset the reset log should not be read from.
                reset = await self._after_rebalance(consumer) | await self._reset_logs(consumer)
                for partition, records in batches.items():
                    if partition not in reset:
                        await self._consume(consumer, partition, records, epoch)
        finally:
            lag_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await lag_task
            self._consumer = None
            self._set_paused_gauge(clear=True)
            self._clear_lag()
            await consumer.stop()

    def stop(self) -> None:
        """Ask `run()` to return after the current record."""
        self._stopping = True

    async def lag(self) -> dict[TopicPartition, int]:
        """Records not yet committed, per assigned partition (end offset - committed).

        Computed from `committed()` and `end_offsets()` because the admin API's
        `list_consumer_group_offsets` does not work against Tansu.
        """
        consumer = self._consumer
        if consumer is None:
            return {}
        partitions = list(consumer.assignment())
        ends = await consumer.end_offsets(partitions)
        return {tp: ends[tp] - ((await consumer.committed(tp)) or 0) for tp in partitions}

    async def _export_lag(self) -> None:
        """`shop_consumer_lag` per owned partition, every `lag_interval` seconds (two
        broker round trips per partition, so not on every fetch)."""
        while True:
            try:
                lags = await self.lag()
            except Exception:
                log.debug("could not read the group's lag", exc_info=True)
            else:
                labels = {(self.group_id, tp.topic, str(tp.partition)): n for tp, n in lags.items()}
                for gone in self._lag_labels - labels.keys():
                    CONSUMER_LAG.remove(*gone)  # revoked: its new owner reports it
                for key, lag in labels.items():
                    CONSUMER_LAG.labels(*key).set(max(lag, 0))
                self._lag_labels = set(labels)
            await asyncio.sleep(self._lag_interval)

    def _clear_lag(self) -> None:
        for key in self._lag_labels:
            CONSUMER_LAG.remove(*key)
        self._lag_labels = set()

    async def _consume(
        self,
        consumer: AIOKafkaConsumer,
        partition: TopicPartition,
        records: list[ConsumerRecord[bytes, bytes]],
        epoch: int,
    ) -> None:
        """Handle one fetched batch of one partition in order; commit once, after the last
        record handled. Stops at a record to retry, and drops the rest of the batch when
        the group rebalanced meanwhile (those offsets belong to the old membership)."""
        handled_up_to: int | None = None
        for record in records:
            if self._stopping or self._membership.epoch != epoch:
                break
            retry = self._retries.get(partition)
            again = retry if retry and retry.offset == record.offset else None
            attempt = again.attempt + 1 if again else 1
            spent = again.spent if again else 0
            outcome = await self._dispatcher.process(
                record, attempt, self._max_attempts, spent=spent
            )
            if outcome is not Outcome.DONE:
                spent += outcome is Outcome.RETRY
                self._pause(consumer, partition, record.offset, attempt, spent=spent)
                break
            self._retries.pop(partition, None)
            handled_up_to = record.offset + 1
        if handled_up_to is not None:
            await self._commit(consumer, partition, handled_up_to, epoch)
        self._set_paused_gauge()

    async def _commit(
        self, consumer: AIOKafkaConsumer, partition: TopicPartition, offset: int, epoch: int
    ) -> None:
        if self._membership.epoch != epoch:
            return  # rebalanced while handling: the new owner re-reads; the inbox dedups
        highwater = consumer.highwater(partition)
        if highwater is not None and offset > highwater:
            # The broker's log is shorter than what we handled: it was reset (a restarted
            # memory-only broker). Committing would hide its first records from the group.
            log.warning("%s: offset %d is past the log's end %d; re-reading it from the start",
                        partition, offset, highwater)  # fmt: skip
            await consumer.seek_to_beginning(partition)
            return
        try:
            await consumer.commit({partition: offset})
            self._committed[partition] = max(offset, self._committed.get(partition, 0))
        except (CommitFailedError, IllegalStateError):
            # Rebalanced away: the new owner re-reads the records and its inbox makes
            # that a no-op.
            log.warning("lost %s during a rebalance", partition)

    async def _after_rebalance(self, consumer: AIOKafkaConsumer) -> set[TopicPartition]:
        """After the group assigned partitions: forget retries of partitions no longer ours
        and read a partition from the start when its log was reset under us: it now ends
        below an offset this runner committed, or below the group's committed offset (the
        broker forgot its log but kept, or was sent, an old commit). The inbox turns every
        re-read record into a no-op."""
        fresh = self._membership.take_assigned()
        reset: set[TopicPartition] = set()
        if not fresh:
            return reset
        owned = consumer.assignment()
        # A (re)assigned partition starts unpaused at its committed offset.
        self._retries = {tp: r for tp, r in self._retries.items() if tp in owned - fresh}
        check = [tp for tp in fresh if tp in owned]
        try:
            ends = await consumer.end_offsets(check)
            for tp in check:
                committed = max(await consumer.committed(tp) or 0, self._committed.get(tp, 0))
                if committed > ends[tp]:
                    log.warning(
                        "%s: offset %d was committed but the log ends at %d (it was "
                        "reset); reading it from the start",
                        tp,
                        committed,
                        ends[tp],
                    )
                    await consumer.seek_to_beginning(tp)
                    self._committed.pop(tp, None)
                    reset.add(tp)
        except Exception:
            log.warning("could not check the new assignment's offsets", exc_info=True)
        return reset

    async def _reset_logs(self, consumer: AIOKafkaConsumer) -> set[TopicPartition]:
        """Partitions whose fetch position is past the end of their log, read again from the
        start. A log never shrinks, so the broker lost it (a memory-only broker restarted):
        the fetch at the old position finds nothing, with no error and, when the group
        never rebalanced, nothing else to tell; every record the relays publish after the
        restart would wait below it unread. The high watermark is the one every fetch
        answer carries (no request of its own); the inbox turns each re-read into a no-op."""
        reset: set[TopicPartition] = set()
        for tp in consumer.assignment():
            highwater = consumer.highwater(tp)
            if highwater is None or tp in self._retries:
                continue
            try:
                position = await asyncio.wait_for(consumer.position(tp), 0.2)
            except Exception:
                continue  # no position yet (being reset or assigned): checked next pass
            if position > highwater:
                log.warning(
                    "%s: the fetch position %d is past the log's end %d (it was reset); "
                    "reading it from the start",
                    tp,
                    position,
                    highwater,
                )
                await consumer.seek_to_beginning(tp)
                self._committed.pop(tp, None)
                reset.add(tp)
        return reset

    def _pause(
        self,
        consumer: AIOKafkaConsumer,
        partition: TopicPartition,
        offset: int,
        attempt: int,
        *,
        spent: int = 0,
    ) -> None:
        delay = self._backoff.delay(attempt)
        self._retries[partition] = _Retry(offset, attempt, time.monotonic() + delay, spent=spent)
        consumer.seek(partition, offset)  # the record comes again when resumed
        consumer.pause(partition)

    def _resume_due(self, consumer: AIOKafkaConsumer) -> None:
        now = time.monotonic()
        paused = consumer.paused()
        for partition, retry in self._retries.items():
            if not retry.resumed and retry.due <= now:
                retry.resumed = True
                if partition in paused:
                    consumer.resume(partition)

    def _wait_ms(self) -> int:
        """Fetch wait: until the next paused partition is due, at most `idle_wait_ms`."""
        due = [r.due for r in self._retries.values() if not r.resumed]
        if not due:
            return self._idle_wait_ms
        return max(0, min(self._idle_wait_ms, int((min(due) - time.monotonic()) * 1000)))

    def _set_paused_gauge(self, *, clear: bool = False) -> None:
        paused = 0 if clear else sum(1 for r in self._retries.values() if not r.resumed)
        PARTITIONS_PAUSED.labels(self.group_id).set(paused)


def _dlq_topic(group_id: str) -> str:
    return topics.dlq(group_id)

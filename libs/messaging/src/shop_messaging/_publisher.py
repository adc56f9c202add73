"""Publishing raw records to Kafka: the only place a producer is built.

Services never call this directly: events reach Kafka through the outbox relay, and
dead letters through the consumer runner.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, NoReturn, Protocol

from aiokafka import AIOKafkaProducer
from aiokafka import errors as Errors
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

log = logging.getLogger(__name__)

_TOPIC_ALREADY_EXISTS = 36


@dataclass(frozen=True)
class Record:
    """One Kafka record, already encoded."""

    topic: str
    key: bytes | None
    value: bytes
    headers: Sequence[tuple[str, bytes]] = ()


@dataclass(frozen=True)
class Delivery:
    """Where the broker stored a record."""

    partition: int
    offset: int


class UnpublishableRecord(Exception):
    """The broker (or the producer) refuses `records[index]` for good: too large, or its
    topic does not exist. Sending it again cannot succeed; the other records may."""

    def __init__(self, index: int, reason: str) -> None:
        super().__init__(f"record {index} cannot be published: {reason}")
        self.index = index
        self.reason = reason


# Refusals that sending again cannot change (a missing topic is checked apart: a broker
# that is down reports it the same way).
_PERMANENT_ERRORS: tuple[type[BaseException], ...] = (
    Errors.MessageSizeTooLargeError,
    Errors.RecordListTooLargeError,
    Errors.InvalidTopicError,
    Errors.TopicAuthorizationFailedError,
)


class Publisher(Protocol):
    """What the relay, the runner and replay need from a producer (fake it in unit tests)."""

    async def publish(self, records: Sequence[Record]) -> Sequence[Delivery] | None:
        """Send records in order; return once the broker acknowledged every one (where
        each was stored, if the publisher knows).

        Raises `UnpublishableRecord` for a record that can never be sent."""


class KafkaPublisher:
    """An aiokafka producer with `acks="all"`.

        async with KafkaPublisher("127.0.0.1:9092", enable_idempotence=False) as publisher:
            await publisher.publish([Record("checkout.orders", b"ord_1", b"{}")])

    `enable_idempotence` must be False against the embedded Tansu broker (its
    InitProducerId fails) and should be True against a real Kafka.
    """

    def __init__(
        self,
        bootstrap_servers: str,
        *,
        enable_idempotence: bool = False,
        client_id: str = "shop-messaging",
        request_timeout_ms: int = 10_000,
        **producer_options: Any,
    ) -> None:
        self._options: dict[str, Any] = {
            "bootstrap_servers": bootstrap_servers,
            "client_id": client_id,
            "acks": "all",
            "enable_idempotence": enable_idempotence,
            "request_timeout_ms": request_timeout_ms,
            **producer_options,
        }
        # Acknowledgements not in by then mean the producer is stuck (seen after a broker
        # restart: a batch retried forever against a node that is gone).
        self._ack_deadline = 3 * request_timeout_ms / 1000
        self._producer = AIOKafkaProducer(**self._options)

    async def start(self) -> None:
        await self._producer.start()

    async def _restart(self) -> None:
        """A stuck producer is dropped with whatever it holds and replaced; the caller's
        records stay unpublished in its outbox and go out on the next pass."""
        stuck, self._producer = self._producer, AIOKafkaProducer(**self._options)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(stuck.stop(), timeout=5)
        await self._producer.start()

    async def stop(self) -> None:
        await self._producer.stop()

    async def __aenter__(self) -> KafkaPublisher:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    async def publish(self, records: Sequence[Record]) -> list[Delivery]:
        """Send every record, then wait for all acknowledgements; say where each went.

        Records are queued in order; aiokafka keeps one batch in flight per partition, so
        records with the same key reach the broker in the order given. A publish that has
        not settled by the deadline restarts the producer and raises TimeoutError.
        """
        try:
            return await asyncio.wait_for(self._publish(records), self._ack_deadline)
        except TimeoutError:
            await self._restart()
            raise

    async def _publish(self, records: Sequence[Record]) -> list[Delivery]:
        pending: list[asyncio.Future[Any]] = []
        for index, record in enumerate(records):
            try:
                pending.append(
                    await self._producer.send(
                        record.topic, record.value, key=record.key, headers=list(record.headers)
                    )
                )
            except Exception as exc:
                await asyncio.gather(*pending, return_exceptions=True)  # settle those queued
                await self._raise_for(index, record, exc)
        results = await asyncio.gather(*pending, return_exceptions=True)
        deliveries: list[Delivery] = []
        for index, result in enumerate(results):
            if isinstance(result, BaseException):
                await self._raise_for(index, records[index], result)
            deliveries.append(Delivery(result.partition, result.offset))
        return deliveries

    async def _raise_for(self, index: int, record: Record, error: BaseException) -> NoReturn:
        if isinstance(error, _PERMANENT_ERRORS):
            raise UnpublishableRecord(index, f"{type(error).__name__}: {error}") from error
        if isinstance(error, Errors.UnknownTopicOrPartitionError) and await self._missing(
            record.topic
        ):
            raise UnpublishableRecord(index, f"topic {record.topic!r} does not exist") from error
        raise error

    async def _missing(self, topic: str) -> bool:
        """True only when the broker answers and does not know `topic` (a broker that is
        down also makes the producer report an unknown topic)."""
        try:
            metadata = await self._producer.client.fetch_all_metadata()
        except Exception:
            return False
        return bool(metadata.brokers()) and topic not in metadata.topics()


async def ensure_topics(
    bootstrap_servers: str,
    names: Iterable[str],
    *,
    partitions: int = 1,
    replication_factor: int = 1,
) -> None:
    """Create topics that do not exist yet; existing ones are left alone.

    await ensure_topics("127.0.0.1:9092", topics.ALL, partitions=3)
    """
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        response = await admin.create_topics(
            [NewTopic(name, partitions, replication_factor) for name in names]
        )
    finally:
        await admin.close()
    for entry in getattr(response, "topic_errors", ()):
        name, code = entry[0], entry[1]
        if code not in (0, _TOPIC_ALREADY_EXISTS):
            raise RuntimeError(f"could not create topic {name!r}: error code {code}")

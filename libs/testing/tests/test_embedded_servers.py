"""The session servers are real: SQL answers, and Kafka round-trips a message."""

from __future__ import annotations

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from shop_testing.databases import unique_name


async def test_embedded_postgres_answers_sql(postgres_admin_url: str) -> None:
    conn = await asyncpg.connect(postgres_admin_url)
    try:
        assert await conn.fetchval("SELECT 40 + 2") == 42
    finally:
        await conn.close()


async def test_broker_round_trips_a_message_with_manual_commit(
    kafka_bootstrap_servers: str,
) -> None:
    topic, group = unique_name("topic"), unique_name("group")
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap_servers, enable_idempotence=False)
    await producer.start()
    try:
        await producer.send_and_wait(topic, b"hello", key=b"order-1", headers=[("h", b"v")])
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=kafka_bootstrap_servers,
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        # Tansu holds a first JoinGroup for about half the session timeout (10 s default).
        session_timeout_ms=2000,
        heartbeat_interval_ms=200,
    )
    await consumer.start()
    try:
        record = await consumer.getone()
        await consumer.commit()
        assert (record.key, record.value, record.headers) == (b"order-1", b"hello", (("h", b"v"),))
        tp = TopicPartition(record.topic, record.partition)
        assert await consumer.committed(tp) == record.offset + 1
    finally:
        await consumer.stop()
